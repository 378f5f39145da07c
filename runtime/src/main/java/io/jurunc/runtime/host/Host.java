package io.jurunc.runtime.host;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The OS boundary of the lifecycle operations: processes and /proc, the files they make outside the
 * state store, and the clock they wait on. {@code RecordingHost} in tests fakes it.
 */
public interface Host {
    /** Starts {@code argv} with the given stdio; the child outlives this JVM. */
    Spawned spawn(List<String> argv, Stdio stdio) throws HostException;

    /** Sends a signal; returns false if the process no longer exists. */
    boolean signal(long pid, int signal) throws HostException;

    /** The process as /proc shows it, or empty if it does not exist. */
    Optional<ProcessInfo> inspect(long pid);

    /** The process's argv from /proc/PID/cmdline; empty when it is gone or cannot be read. */
    List<String> cmdline(long pid);

    /** The process's /proc/PID/status text (NSpid, SigCgt, ...); empty when it is gone or cannot be read. */
    Optional<String> status(long pid);

    void mkfifo(Path path) throws HostException;

    /** Whether anything (a file, a directory, a namespace file) exists at {@code path}. */
    boolean exists(Path path);

    /** Whether {@code file} exists and this process may execute it. */
    boolean isExecutable(Path file);

    /** The size of a regular file in bytes. */
    long size(Path file) throws HostException;

    /** Creates a directory and its missing parents; one that exists already is fine. */
    void createDirectories(Path dir) throws HostException;

    /**
     * Makes {@code dir} a directory only {@code uid}:{@code gid} may use: created when missing (its
     * parent must exist), then mode 0700 and that owner. A link or a file at its name is refused.
     */
    void createPrivateDirectory(Path dir, int uid, int gid) throws HostException;

    /** Removes a file (or an empty directory) if one is there; returns whether one was. */
    boolean delete(Path file) throws HostException;

    /**
     * A small regular file's text (a pid file), read without following a link at its name.
     *
     * @return empty when nothing is at {@code file}
     * @throws HostException when it is not a regular file, is longer than {@code maxBytes}, or cannot be read
     */
    Optional<String> readSmallFile(Path file, int maxBytes) throws HostException;

    /**
     * Writes {@code content} to {@code file} atomically with {@code mode}, as runc writes its pid file: a
     * temp file beside it, created exclusively (never through a link at its name), then renamed over it.
     */
    void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> mode) throws HostException;

    /** A monotonic clock in nanoseconds, as {@link System#nanoTime()}: only differences mean something. */
    long nanoTime();

    /** Waits {@code d} on that clock. */
    void sleep(Duration d) throws InterruptedException;

    /** runc's console-socket protocol: sends a pty master to the socket, returns the slave's path. */
    Path sendConsole(Path consoleSocket) throws HostException;

    /** Opens a FIFO for writing without blocking, writes one line, closes; false if no reader. */
    boolean pokeFifo(Path path) throws HostException;

    /**
     * A cgroup control file's content (e.g. {@code freezer.state}, {@code cpu.stat}), or empty when the
     * file does not exist (the controller is not there). Hosts that only create and start containers (the
     * e2e module's) need not implement the cgroup and QMP methods.
     */
    default Optional<String> readControl(Path file) throws HostException {
        throw new HostException("this host does not read cgroup files (" + file + ")");
    }

    /** Writes {@code value} to a cgroup control file in one write(2), as the kernel expects. */
    default void writeControl(Path file, String value) throws HostException {
        throw new HostException("this host does not write cgroup files (" + file + ")");
    }

    /**
     * One QEMU machine protocol command over the monitor's QMP socket, after the capabilities handshake
     * (events in between are skipped).
     *
     * @param command the command name, e.g. {@code stop} or {@code cont}
     * @return the {@code return} value as JSON text
     * @throws HostException when the socket does not answer or QEMU answers with an error
     */
    default String qmp(Path socket, String command) throws HostException {
        throw new HostException("this host does not speak QMP (" + socket + ")");
    }

    /**
     * Runs an OCI hook to its end: {@code path} is executed with {@code args} as its whole argv ({@code
     * args[0]} is argv0; empty means {@code path}), exactly {@code env} as its environment and {@code
     * stdin} on its standard input, as runc runs hooks. A hook still running after {@code timeout} is
     * killed (SIGKILL) and reported as timed out.
     *
     * @throws HostException when the hook cannot be executed at all
     */
    default HookExit runHook(Path path, List<String> args, List<String> env, byte[] stdin, Optional<Duration> timeout)
            throws HostException {
        throw new HostException("this host does not run hooks (" + path + ")");
    }
}
