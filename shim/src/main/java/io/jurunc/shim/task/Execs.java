package io.jurunc.shim.task;

import com.google.protobuf.Empty;
import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.ExecLaunch;
import io.jurunc.shim.backend.ExecSpec;
import io.jurunc.shim.events.EventSink;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.CommandResult;
import io.jurunc.shim.os.CommandSpec;
import io.jurunc.shim.os.Console;
import io.jurunc.shim.os.ExitStatus;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import io.jurunc.shim.proto.events.TaskExecAdded;
import io.jurunc.shim.proto.events.TaskExecStarted;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.task.DeleteResponse;
import io.jurunc.shim.proto.task.ExecProcessRequest;
import io.jurunc.shim.proto.task.StartResponse;
import io.jurunc.shim.proto.task.StateResponse;
import io.jurunc.shim.proto.task.WaitResponse;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The exec'd processes of the daemon's containers ({@code Exec}, then {@code Start}, {@code State},
 * {@code Kill}, {@code Wait}, {@code CloseIO}, {@code Delete} with an {@code exec_id}), as containerd's
 * runc shim keeps them: the backend says how to start one detached ({@link ExecLaunch}: {@code runc
 * exec -d}, or jurunc's exec relay for a microVM), the process is re-parented to this daemon (a
 * subreaper) and reaped by pid; TaskExecAdded, TaskExecStarted and the exec's TaskExit are published.
 * A terminal exec ({@code ctr task exec -t}) gets a console of its own, as a terminal task does: the
 * runtime sends the pty master to its socket, the shim relays it to the exec's stdin and stdout FIFOs,
 * {@code ResizePty} with the exec id resizes it, the exit event waits for its last output, delete closes it.
 */
final class Execs {
    private static final Path DEV_NULL = Path.of("/dev/null");
    /** The exit status of an exec that failed before its launcher ran, or whose launcher said nothing. */
    static final int NEVER_RAN = 255;

    private final ShimOs os;
    private final EventSink events;
    private final Consumer<String> log;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();

    Execs(ShimOs os, EventSink events, Consumer<String> log) {
        this.os = os;
        this.events = events;
        this.log = log;
    }

    /** Whether a request's exec id names an exec (containerd names the init process by the empty id or the container's). */
    static boolean isExec(String id, String execId) {
        return !execId.isEmpty() && !execId.equals(id);
    }

    private static final class Exec {
        final ExecSpec spec;
        final Container container;
        final String stdin;
        final String stdout;
        final String stderr;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        volatile int pid;
        volatile Optional<StdinRelay> stdinRelay = Optional.empty();
        /** A terminal exec's pty master (null without a terminal, or before start). */
        volatile Console console;

        Exec(ExecSpec spec, Container container, String stdin, String stdout, String stderr) {
            this.spec = spec;
            this.container = container;
            this.stdin = stdin;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        Status status() {
            return exit.isDone() ? Status.STOPPED : pid > 0 ? Status.RUNNING : Status.CREATED;
        }
    }

    private static String key(String id, String execId) {
        return id + "\0" + execId;
    }

    private Exec find(String id, String execId) throws TtrpcException {
        Exec e = execs.get(key(id, execId));
        if (e == null) throw new TtrpcException(StatusCode.NOT_FOUND, "exec " + execId + " of " + id + " not found");
        return e;
    }

    Empty add(Container c, ExecProcessRequest req) throws TtrpcException {
        if (!ExecSpec.validId(req.getExecId())) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, "bad exec id '" + req.getExecId() + "'");
        }
        if (c.status() != Status.RUNNING) {
            throw new TtrpcException(
                    StatusCode.FAILED_PRECONDITION,
                    "container " + c.id + " is " + c.status().name().toLowerCase() + ": cannot exec in it");
        }
        ExecSpec spec = new ExecSpec(
                c.id, req.getExecId(), c.bundle, req.getSpec().getValue().toByteArray(), req.getTerminal());
        Exec e = new Exec(spec, c, req.getStdin(), req.getStdout(), req.getStderr());
        if (execs.putIfAbsent(key(c.id, req.getExecId()), e) != null) {
            throw new TtrpcException(StatusCode.ALREADY_EXISTS, "exec " + req.getExecId() + " of " + c.id + " exists");
        }
        events.publish(
                Topics.TASK_EXEC_ADDED,
                TaskExecAdded.newBuilder()
                        .setContainerId(c.id)
                        .setExecId(req.getExecId())
                        .build());
        return Empty.getDefaultInstance();
    }

    StartResponse start(String id, String execId) throws TtrpcException {
        Exec e = find(id, execId);
        synchronized (e) {
            if (e.status() != Status.CREATED) {
                throw new TtrpcException(StatusCode.FAILED_PRECONDITION, "exec " + execId + " was started already");
            }
            Optional<Path> stdin = path(e.stdin);
            Optional<Path> stdout = path(e.stdout);
            Optional<Path> stderr = path(e.stderr);
            int failedStatus = NEVER_RAN;
            try {
                ExecSpec spec = e.spec;
                if (spec.terminal()) {
                    // as containerd's runc shim: the runtime sends the pty master back, the shim relays it
                    e.console = os.console();
                    spec = spec.withConsoleSocket(e.console.socket());
                    stdout = Optional.empty();
                    stderr = Optional.empty();
                } else if (stdin.isPresent()) {
                    e.stdinRelay = Optional.of(StdinRelay.open(stdin.get(), os, log));
                    stdin = Optional.of(e.stdinRelay.get().childPath());
                }
                ExecLaunch launch = e.container.backend.exec(spec);
                long logMark = launch.log().map(ExecFailure::mark).orElse(0L);
                CommandResult r = os.run(new CommandSpec(
                        launch.argv(),
                        Optional.of(spec.terminal() ? DEV_NULL : stdin.orElse(DEV_NULL)),
                        Optional.of(stdout.orElse(DEV_NULL)),
                        Optional.of(stderr.orElse(DEV_NULL)),
                        new byte[0],
                        Optional.of(spec.bundle())));
                if (!r.ok()) {
                    Optional<ExecFailure> why = launch.log().flatMap(l -> ExecFailure.readFrom(l, logMark));
                    failedStatus =
                            why.map(f -> f.kind().exitStatus(r.exitCode())).orElse(r.exitCode() & 0xff);
                    throw launchFailed(id, execId, why, r);
                }
                int pid = readPid(launch.pidFile());
                if (e.console != null) {
                    try {
                        e.console.receiveMaster(TaskService.CONSOLE_TIMEOUT);
                        e.console.relay(path(e.stdin), path(e.stdout), log);
                    } catch (OsException oe) {
                        abandon(pid);
                        throw oe;
                    }
                }
                e.pid = pid;
            } catch (BackendException be) {
                neverStarted(e, failedStatus);
                throw TaskService.status(be);
            } catch (OsException oe) {
                neverStarted(e, failedStatus);
                throw new TtrpcException(StatusCode.INTERNAL, oe.getMessage(), oe);
            } catch (TtrpcException te) {
                neverStarted(e, failedStatus);
                throw te;
            } finally {
                deleteQuietly(e.spec.processFile());
                deleteQuietly(e.spec.pidFile());
                deleteQuietly(e.spec.logFile());
            }
            e.stdinRelay.ifPresent(StdinRelay::start);
            events.publish(
                    Topics.TASK_EXEC_STARTED,
                    TaskExecStarted.newBuilder()
                            .setContainerId(id)
                            .setExecId(execId)
                            .setPid(e.pid)
                            .build());
            watch(e);
            log.accept("exec " + execId + " in " + id + ": pid " + e.pid);
            return StartResponse.newBuilder().setPid(e.pid).build();
        }
    }

    /**
     * Why a launch failed: the error its launcher logged during it (the relay's with a kind, whose status
     * code containerd gets; runc's as unknown, as containerd's runc shim reports it), else its exit code
     * and whatever output it had of its own.
     */
    private TtrpcException launchFailed(String id, String execId, Optional<ExecFailure> why, CommandResult r) {
        String prefix = "exec " + execId + " in " + id + " failed";
        if (why.isPresent()) {
            ExecFailure f = why.get();
            log.accept(prefix + " (" + f.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + f.message());
            return new TtrpcException(f.kind().code(), prefix + ": " + f.message());
        }
        String output = (r.stderr() + " " + r.stdout()).strip();
        log.accept(prefix + " (exit " + r.exitCode() + ") and logged no reason");
        return new TtrpcException(
                StatusCode.UNKNOWN,
                prefix + " (exit " + r.exitCode() + ")" + (output.isEmpty() ? ", giving no reason" : ": " + output));
    }

    private void watch(Exec e) {
        // waitid blocks the thread in the kernel: a platform thread, as for the containers
        Thread.ofPlatform()
                .daemon()
                .name("reap-" + e.spec.containerId() + "-" + e.spec.execId())
                .start(() -> {
                    ExitStatus status;
                    try {
                        status = os.awaitExit(e.pid);
                    } catch (InterruptedException ex) {
                        return;
                    }
                    Console console = e.console;
                    if (console != null) {
                        try {
                            console.drain(TaskService.CONSOLE_DRAIN); // its last output before its exit event
                        } catch (InterruptedException ex) {
                            return;
                        }
                    }
                    synchronized (e) {
                        e.exit.complete(status);
                        events.publish(
                                Topics.TASK_EXIT,
                                TaskExit.newBuilder()
                                        .setContainerId(e.spec.containerId())
                                        .setId(e.spec.execId())
                                        .setPid(e.pid)
                                        .setExitStatus(status.status())
                                        .setExitedAt(OrderedPublisher.timestamp(status.exitedAt()))
                                        .build());
                    }
                    log.accept("exec " + e.spec.execId() + " in " + e.spec.containerId() + " exited with status "
                            + status.status());
                });
    }

    StateResponse state(String id, String execId) throws TtrpcException {
        Exec e = find(id, execId);
        StateResponse.Builder b = StateResponse.newBuilder()
                .setId(execId)
                .setBundle(e.spec.bundle().toString())
                .setPid(e.pid)
                .setStatus(e.status())
                .setStdin(e.stdin)
                .setStdout(e.stdout)
                .setStderr(e.stderr)
                .setTerminal(e.spec.terminal())
                .setExecId(execId);
        if (e.exit.isDone()) {
            ExitStatus x = e.exit.join();
            b.setExitStatus(x.status()).setExitedAt(OrderedPublisher.timestamp(x.exitedAt()));
        }
        return b.build();
    }

    Empty kill(String id, String execId, int signal) throws TtrpcException {
        Exec e = find(id, execId);
        if (e.pid == 0 || e.exit.isDone()) {
            throw new TtrpcException(StatusCode.NOT_FOUND, "process already finished");
        }
        try {
            if (!os.signal(e.pid, signal)) throw new TtrpcException(StatusCode.NOT_FOUND, "process already finished");
        } catch (OsException ex) {
            throw new TtrpcException(StatusCode.INTERNAL, ex.getMessage(), ex);
        }
        return Empty.getDefaultInstance();
    }

    WaitResponse await(String id, String execId) throws TtrpcException {
        Exec e = find(id, execId);
        ExitStatus x;
        try {
            x = e.exit.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(StatusCode.CANCELLED, "wait for exec " + execId + " interrupted");
        } catch (ExecutionException ex) {
            throw new TtrpcException(StatusCode.INTERNAL, "wait for exec " + execId + ": " + ex.getCause());
        }
        return WaitResponse.newBuilder()
                .setExitStatus(x.status())
                .setExitedAt(OrderedPublisher.timestamp(x.exitedAt()))
                .build();
    }

    Empty closeIO(String id, String execId, boolean stdin) throws TtrpcException {
        Exec e = find(id, execId);
        if (stdin) e.stdinRelay.ifPresent(StdinRelay::closeStdin);
        return Empty.getDefaultInstance();
    }

    DeleteResponse delete(String id, String execId) throws TtrpcException {
        Exec e = find(id, execId);
        if (e.status() == Status.RUNNING) {
            throw new TtrpcException(
                    StatusCode.FAILED_PRECONDITION, "cannot delete running exec " + execId + ": kill it first");
        }
        execs.remove(key(id, execId));
        release(e);
        DeleteResponse.Builder b = DeleteResponse.newBuilder().setPid(e.pid);
        if (e.exit.isDone()) {
            ExitStatus x = e.exit.join();
            b.setExitStatus(x.status()).setExitedAt(OrderedPublisher.timestamp(x.exitedAt()));
        }
        return b.build();
    }

    /** {@code TIOCSWINSZ} on a terminal exec's pty. */
    Empty resize(String id, String execId, int width, int height) throws TtrpcException {
        Exec e = find(id, execId);
        Console console = e.console;
        if (console == null) {
            throw new TtrpcException(
                    StatusCode.FAILED_PRECONDITION,
                    "exec " + execId + " of " + id + (e.spec.terminal() ? " is not started" : " has no terminal"));
        }
        try {
            console.resize(width, height);
        } catch (OsException ex) {
            throw new TtrpcException(StatusCode.INTERNAL, ex.getMessage(), ex);
        }
        return Empty.getDefaultInstance();
    }

    /** Forgets the execs of a deleted container, releasing their stdin relays and consoles. */
    void forget(String id) {
        execs.entrySet().removeIf(entry -> {
            if (!entry.getKey().startsWith(id + "\0")) return false;
            release(entry.getValue());
            return true;
        });
    }

    /**
     * An exec whose Start failed has ended, as with containerd's runc shim (which closes its wait block):
     * Wait returns and State says stopped, so containerd's {@code Delete(WithProcessKill)} (the CRI's, after
     * a failed ExecSync) does not wait for an exit that cannot come (a minute, until its context's deadline).
     * No TaskExit is published: there was no process.
     */
    private static void neverStarted(Exec e, int status) {
        release(e);
        e.exit.complete(new ExitStatus(status, Instant.now()));
    }

    /** Kills and reaps a started process whose terminal could not be set up. */
    private void abandon(int pid) {
        try {
            os.signal(pid, 9);
        } catch (OsException ex) {
            log.accept("kill of exec pid " + pid + ": " + ex.getMessage());
        }
        Thread.ofPlatform().daemon().name("reap-" + pid).start(() -> {
            try {
                os.awaitExit(pid);
            } catch (InterruptedException ignored) {
                // the daemon is going away
            }
        });
    }

    /** Closes an exec's stdin relay and console; never fails. */
    private static void release(Exec e) {
        e.stdinRelay.ifPresent(StdinRelay::close);
        Console console = e.console;
        if (console != null) console.close();
    }

    private static int readPid(Path file) throws TtrpcException {
        try {
            String text = Files.readString(file).strip();
            if (!text.matches("[1-9][0-9]{0,9}")) throw new IOException("'" + text + "' is not a pid");
            return Integer.parseInt(text);
        } catch (IOException | NumberFormatException ex) {
            throw new TtrpcException(
                    StatusCode.INTERNAL, "the exec left no usable pid file " + file + ": " + ex.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the bundle goes with the container
        }
    }

    private static Optional<Path> path(String fifo) {
        if (fifo.isEmpty()) return Optional.empty();
        return Optional.of(Path.of(fifo.startsWith("fifo://") ? fifo.substring("fifo://".length()) : fifo));
    }
}
