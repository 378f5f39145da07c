package io.jurunc.shim.os;

import java.nio.file.Path;

/**
 * The shim's OS boundary. {@link LinuxShimOs} is the real one (FFM + child processes); unit tests use a
 * recording fake.
 */
public interface ShimOs {
    /** {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}: orphaned container processes are re-parented to us. */
    void becomeSubreaper() throws OsException;

    /**
     * Blocks until {@code pid} (a child of this process, typically re-parented after {@code runc create}
     * exited) has exited and reaps exactly that pid. If the pid is not our child, waits until it is gone
     * and reports status 255.
     */
    ExitStatus awaitExit(int pid) throws InterruptedException;

    /** Sends {@code signal}; false if no such process. */
    boolean signal(int pid, int signal) throws OsException;

    /** Runs a helper command to completion. */
    CommandResult run(CommandSpec command) throws OsException;

    void mount(MountSpec mount, Path target) throws OsException;

    /** Unmounts {@code target} (lazily if busy); a path that is not a mount point is not an error. */
    void unmount(Path target) throws OsException;

    /** {@code pipe2(O_CLOEXEC)}: returns {read fd, write fd}. */
    int[] pipe() throws OsException;

    /** {@code close(fd)} of a raw descriptor from {@link #pipe()}. */
    void close(int fd) throws OsException;

    /**
     * A terminal for a task: listens, in a fresh directory only root can enter, for the runtime's pty
     * master ({@code --console-socket}); see {@link Console}.
     */
    Console console() throws OsException;

    /** This process's pid. */
    default int pid() {
        return (int) ProcessHandle.current().pid();
    }
}
