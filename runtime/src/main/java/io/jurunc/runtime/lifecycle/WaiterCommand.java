package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.sandbox.LaunchFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The process {@code create} leaves behind: the sandbox helper ({@code runtime/src/main/c/sandbox.c}).
 * It starts a session, enters (or creates) the container's namespaces, creates {@link #READY}, blocks
 * on {@link #FIFO} until {@code start}, then reads {@link LaunchFile#NAME}, pivots into the monitor's
 * minimal root, drops to the monitor's user with no capabilities and execs the monitor: one process,
 * no shell, no JVM, so the pid containerd waits on is the monitor's. With a pid namespace in the spec
 * the helper first forks into it ({@link PidNamespace}); the child is that process, and the helper's
 * first pid only writes the child's pid to {@link #PID_FILE} and exits.
 */
final class WaiterCommand {
    /** Appears in the waiter's cmdline and never in the monitor's: tells created from running. */
    static final String MARKER = "jurunc-waiter";

    static final String FIFO = "start.fifo";
    /** Created by the waiter once it runs inside its namespaces. */
    static final String READY = "waiter.ready";
    /** The empty directory the helper mounts the monitor's root on (in its own mount namespace). */
    static final String ROOT = "root";
    /** The forked waiter's pid (in the caller's pid namespace), written by the helper's parent half. */
    static final String PID_FILE = "waiter.pid";

    private WaiterCommand() {}

    static List<String> build(
            Path helper,
            Path stateDir,
            Optional<Path> netns,
            PidNamespace pidns,
            String containerId,
            Optional<Path> timestampsFile,
            boolean terminal) {
        List<String> argv = new ArrayList<>();
        argv.add(helper.toString());
        argv.add(MARKER);
        argv.add(stateDir.toAbsolutePath().toString());
        if (terminal) {
            argv.add("--ctty"); // the pty on stdin becomes the controlling terminal
        }
        if (netns.isPresent()) {
            argv.add("--netns");
            argv.add(netns.get().toString());
        } else {
            argv.add("--new-net");
        }
        argv.addAll(pidns.helperArgs());
        timestampsFile.ifPresent(f -> {
            argv.add("--timestamps");
            argv.add(f.toString());
            argv.add("--id");
            argv.add(containerId);
        });
        return argv;
    }
}
