package io.jurunc.shim.task;

import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.os.ExitStatus;
import io.jurunc.shim.proto.types.Status;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One container held by the daemon. State changes and the events they publish happen under
 * {@link #lock}, so the exit of a process that dies during {@code Start} is published after TaskStart.
 */
final class Container {
    final String id;
    final Path bundle;
    final ContainerBackend backend;
    final int pid;
    final String stdin;
    final String stdout;
    final String stderr;
    final boolean terminal;
    final boolean rootfsMounted;
    final Optional<StdinRelay> stdinRelay;
    /** Taken over from a crashed daemon JVM (see {@code io.jurunc.shim.recovery.Adoption}). */
    final boolean adopted;

    final long pidStartTime;
    /** A terminal task's pty (the console the runtime sent back); null without a terminal. */
    volatile io.jurunc.shim.os.Console console;

    /** Passes ResizePty's sizes on to the backend (made on the first one). */
    private ConsoleSizeForwarder consoleSize;

    final ReentrantLock lock = new ReentrantLock();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private Status status = Status.CREATED;

    Container(
            String id,
            Path bundle,
            ContainerBackend backend,
            int pid,
            String stdin,
            String stdout,
            String stderr,
            boolean terminal,
            boolean rootfsMounted,
            Optional<StdinRelay> stdinRelay) {
        this(id, bundle, backend, pid, stdin, stdout, stderr, terminal, rootfsMounted, stdinRelay, false, 0);
    }

    Container(
            String id,
            Path bundle,
            ContainerBackend backend,
            int pid,
            String stdin,
            String stdout,
            String stderr,
            boolean terminal,
            boolean rootfsMounted,
            Optional<StdinRelay> stdinRelay,
            boolean adopted,
            long pidStartTime) {
        this.adopted = adopted;
        this.pidStartTime = pidStartTime;
        this.id = id;
        this.bundle = bundle;
        this.backend = backend;
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.rootfsMounted = rootfsMounted;
        this.stdinRelay = stdinRelay;
    }

    synchronized ConsoleSizeForwarder consoleSize(java.util.function.Consumer<String> log) {
        if (consoleSize == null) {
            consoleSize = new ConsoleSizeForwarder(
                    id,
                    (rows, cols) -> backend.resizeConsole(id, rows, cols),
                    command -> Thread.ofVirtual().name("console-size-" + id).start(command),
                    log);
        }
        return consoleSize;
    }

    Status status() {
        return exit.isDone() ? Status.STOPPED : status;
    }

    void markRunning() {
        status = Status.RUNNING;
    }

    void markPaused() {
        status = Status.PAUSED;
    }

    Optional<ExitStatus> exitStatus() {
        return exit.isDone() ? Optional.of(exit.join()) : Optional.empty();
    }
}
