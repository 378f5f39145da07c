package io.jurunc.runtime.timestamps;

/**
 * Records phase timestamps of create/start/exec (one JSON line each: container id, phase name,
 * Unix time in nanoseconds), so that a spawn can be broken down phase by phase.
 */
public interface Timestamps {
    void mark(String containerId, String phase);

    boolean enabled();

    Timestamps DISABLED = new Timestamps() {
        @Override
        public void mark(String containerId, String phase) {}

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
