package io.jurunc.shim.recovery;

import io.jurunc.shim.os.ExitStatus;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the daemon journals of one task so that the next daemon JVM can adopt it: written before Create
 * touches anything ({@link Phase#CREATING}), when Create returned ({@link Phase#CREATED}, with the pid and
 * its start time), after Start ({@link Phase#RUNNING}) and when the daemon saw the exit; removed by Delete.
 *
 * @param pidStartTime field 22 of {@code /proc/<pid>/stat} at create (guards against a reused pid)
 */
public record TaskRecord(
        String id,
        Path bundle,
        Phase phase,
        int pid,
        long pidStartTime,
        String stdin,
        String stdout,
        String stderr,
        boolean terminal,
        boolean rootfsMounted,
        Optional<ExitStatus> exit) {
    public enum Phase {
        CREATING,
        CREATED,
        RUNNING
    }

    public TaskRecord {
        if (id.isEmpty() || id.contains("/") || id.startsWith(".")) {
            throw new IllegalArgumentException("bad task id " + id);
        }
        if (phase != Phase.CREATING && pid <= 0) {
            throw new IllegalArgumentException("task " + id + " in phase " + phase + " needs a pid");
        }
    }

    /** {@code mountsRequested}: Create was given rootfs mounts (so undoing it unmounts the bundle's rootfs). */
    public static TaskRecord creating(String id, Path bundle, boolean mountsRequested) {
        return new TaskRecord(id, bundle, Phase.CREATING, 0, 0, "", "", "", false, mountsRequested, Optional.empty());
    }

    public TaskRecord running() {
        return new TaskRecord(
                id, bundle, Phase.RUNNING, pid, pidStartTime, stdin, stdout, stderr, terminal, rootfsMounted, exit);
    }

    public TaskRecord exited(ExitStatus status) {
        return new TaskRecord(
                id,
                bundle,
                phase,
                pid,
                pidStartTime,
                stdin,
                stdout,
                stderr,
                terminal,
                rootfsMounted,
                Optional.of(status));
    }
}
