package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.ports.SandboxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The cgroup freezer of the monitor's cgroup: v2 {@code cgroup.freeze} (done when {@code cgroup.events}
 * says {@code frozen 1}), v1 {@code freezer.state} ({@code FROZEN} once every task is frozen; runc writes
 * it again while the state reads {@code FREEZING}). Waits at most 2 s.
 */
final class Freezer {
    static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration STEP = Duration.ofMillis(1);

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
        boolean done;
        try {
            // runc writes the state again while v1 reads FREEZING; the write is harmless on v2
            done = Poll.until(host, WAIT, STEP, () -> {
                host.writeControl(file.get(), value);
                return frozen(host, cg) == freeze;
            });
        } catch (InterruptedException e) {
            throw new SandboxException((freeze ? "freezing" : "thawing") + " of '" + id + "' interrupted", e);
        }
        if (!done) {
            throw new SandboxException("container '" + id + "': the cgroup "
                    + file.get().getParent() + " did not " + (freeze ? "freeze" : "thaw") + " within 2 s");
        }
    }
}
