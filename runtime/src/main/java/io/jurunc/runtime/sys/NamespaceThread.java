package io.jurunc.runtime.sys;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import java.nio.file.Path;

/**
 * Runs a task inside another network namespace. {@code setns} changes only the calling thread, so
 * each call starts a fresh platform thread, moves it into the namespace, runs the task there and
 * lets the thread end: a thread in a foreign namespace is never handed back to a pool. Processes
 * started by the task inherit the namespace. A call made by a task that already runs inside the
 * same namespace (same path) runs inline on that thread, so a sequence of steps wrapped in one
 * outer call costs one thread, not one per step.
 */
public final class NamespaceThread {
    /** The namespace path the current thread joined through this class, if any. */
    private static final ThreadLocal<Path> JOINED = new ThreadLocal<>();

    private NamespaceThread() {}

    /** Work to do inside the namespace. */
    @FunctionalInterface
    public interface Task<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Opens {@code netns} (e.g. {@code /var/run/netns/NAME} or {@code /proc/PID/ns/net}), joins it on
     * a new thread and runs {@code task} there.
     *
     * @throws EnterException when the namespace cannot be opened or joined (the task did not run)
     * @throws E what the task throws
     */
    public static <T, E extends Exception> T callInNetns(Syscalls sys, Path netns, Task<T, E> task)
            throws EnterException, E {
        if (netns.equals(JOINED.get())) {
            return task.run();
        }
        Runner<T, E> runner = new Runner<>(sys, netns, task);
        Thread thread = Thread.ofPlatform().name("jurunc-netns").daemon(true).unstarted(runner);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return runner.outcome();
    }

    /** The namespace could not be opened or joined; {@link #errno()} tells why. */
    public static final class EnterException extends Exception {
        private final Path netns;
        private final ErrnoException cause;

        EnterException(Path netns, ErrnoException cause) {
            super("cannot enter network namespace " + netns + ": " + cause.getMessage(), cause);
            this.netns = netns;
            this.cause = cause;
        }

        public Path netns() {
            return netns;
        }

        public int errno() {
            return cause.errno();
        }

        /**
         * True when the path does not exist or no longer refers to a namespace (ENOENT from open,
         * EINVAL from setns on a file whose namespace mount is gone).
         */
        public boolean namespaceGone() {
            return cause.errno() == Errno.ENOENT || cause.errno() == Errno.EINVAL;
        }
    }

    private static final class Runner<T, E extends Exception> implements Runnable {
        private final Syscalls sys;
        private final Path netns;
        private final Task<T, E> task;
        private T result;
        private ErrnoException enterFailure;
        private Throwable taskFailure;

        Runner(Syscalls sys, Path netns, Task<T, E> task) {
            this.sys = sys;
            this.netns = netns;
            this.task = task;
        }

        @Override
        public void run() {
            int fd;
            try {
                fd = sys.open(netns.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
            } catch (ErrnoException e) {
                enterFailure = e;
                return;
            }
            ErrnoException failure = null;
            try {
                sys.setns(fd, Syscalls.CLONE_NEWNET);
            } catch (ErrnoException e) {
                failure = e;
            }
            try {
                sys.close(fd);
            } catch (ErrnoException e) {
                failure = failure == null ? e : failure;
            }
            if (failure != null) {
                enterFailure = failure;
                return;
            }
            JOINED.set(netns);
            try {
                result = task.run();
            } catch (Throwable t) {
                taskFailure = t;
            } finally {
                JOINED.remove();
            }
        }

        @SuppressWarnings("unchecked")
        T outcome() throws EnterException, E {
            if (enterFailure != null) {
                throw new EnterException(netns, enterFailure);
            }
            if (taskFailure instanceof RuntimeException re) {
                throw re;
            }
            if (taskFailure instanceof Error err) {
                throw err;
            }
            if (taskFailure != null) {
                throw (E) taskFailure; // the task's signature allows only E here
            }
            return result;
        }
    }
}
