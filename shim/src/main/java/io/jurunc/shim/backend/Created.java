package io.jurunc.shim.backend;

import java.util.Optional;

/**
 * A created container's process: its pid, and the JVM handle when this JVM spawned it in-process (then
 * its exit is observed through the handle; otherwise it is a re-parented child reaped by pid).
 */
public record Created(int pid, Optional<Process> process) {
    public Created {
        if (pid <= 0) {
            throw new IllegalArgumentException("bad container pid " + pid);
        }
    }
}
