package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.ports.SandboxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cgroup freezer of the monitor's cgroup: v2 {@code cgroup.freeze} (done when {@code cgroup.events}
 * says {@code frozen 1}), v1 {@code freezer.state} ({@code FROZEN} once every task is frozen; runc writes
 * it again while the state reads {@code FREEZING}). Waits at most 2 s.
 */
final class Freezer {
    private static final long WAIT_NANOS = 2_000_000_000L;

    private Freezer() {}

    static void freeze(Host host, SandboxCgroup cg, String id) throws io.jurunc.runtime.JuruncException {
        set(host, cg, id, true);
    }

    static void thaw(Host host, SandboxCgroup cg, String id) throws io.jurunc.runtime.JuruncException {
        set(host, cg, id, false);
    }

    /** True when the cgroup is frozen now. */
    static boolean frozen(Host host, SandboxCgroup cg) throws HostException {
        if (cg.v2()) {
            return cg.read(host, SandboxCgroup.V2, "cgroup.events")
                    .map(Freezer::frozenEvent)
                    .orElse(false);
        }
        return cg.read(host, "freezer", "freezer.state")
                .map(s -> s.strip().equals("FROZEN"))
                .orElse(false);
    }

    private static boolean frozenEvent(String events) {
        return events.lines().anyMatch(l -> l.strip().equals("frozen 1"));
    }

    private static void set(Host host, SandboxCgroup cg, String id, boolean freeze)
            throws io.jurunc.runtime.JuruncException {
        Optional<Path> file =
                cg.v2() ? cg.file(SandboxCgroup.V2, "cgroup.freeze") : cg.file("freezer", "freezer.state");
        if (file.isEmpty()) throw new SandboxException("container '" + id + "' has no freezer cgroup");
        String value = cg.v2() ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED");
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            host.writeControl(file.get(), value);
            if (frozen(host, cg) == freeze) return;
            if (System.nanoTime() > deadline) {
                throw new SandboxException("container '" + id + "': the cgroup "
                        + file.get().getParent() + " did not " + (freeze ? "freeze" : "thaw") + " within 2 s");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException((freeze ? "freezing" : "thawing") + " of '" + id + "' interrupted");
            }
        }
    }
}
