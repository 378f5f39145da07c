package io.jurunc.shim.task;

import com.google.protobuf.Empty;
import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.backend.CreateSpec;
import io.jurunc.shim.backend.Created;
import io.jurunc.shim.events.EventSink;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.Console;
import io.jurunc.shim.os.ExitStatus;
import io.jurunc.shim.os.MountSpec;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import io.jurunc.shim.proto.events.TaskCreate;
import io.jurunc.shim.proto.events.TaskDelete;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.events.TaskIO;
import io.jurunc.shim.proto.events.TaskPaused;
import io.jurunc.shim.proto.events.TaskResumed;
import io.jurunc.shim.proto.events.TaskStart;
import io.jurunc.shim.proto.task.CloseIORequest;
import io.jurunc.shim.proto.task.ConnectRequest;
import io.jurunc.shim.proto.task.ConnectResponse;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.CreateTaskResponse;
import io.jurunc.shim.proto.task.DeleteRequest;
import io.jurunc.shim.proto.task.DeleteResponse;
import io.jurunc.shim.proto.task.ExecProcessRequest;
import io.jurunc.shim.proto.task.KillRequest;
import io.jurunc.shim.proto.task.PauseRequest;
import io.jurunc.shim.proto.task.PidsRequest;
import io.jurunc.shim.proto.task.PidsResponse;
import io.jurunc.shim.proto.task.ResizePtyRequest;
import io.jurunc.shim.proto.task.ResumeRequest;
import io.jurunc.shim.proto.task.ShutdownRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StartResponse;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.StateResponse;
import io.jurunc.shim.proto.task.StatsRequest;
import io.jurunc.shim.proto.task.StatsResponse;
import io.jurunc.shim.proto.task.UpdateTaskRequest;
import io.jurunc.shim.proto.task.WaitRequest;
import io.jurunc.shim.proto.task.WaitResponse;
import io.jurunc.shim.proto.types.Mount;
import io.jurunc.shim.proto.types.ProcessInfo;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.shim.recovery.Adopter;
import io.jurunc.shim.recovery.TaskJournal;
import io.jurunc.shim.recovery.TaskRecord;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.UnaryHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code containerd.task.v2.Task} (and v3, the same messages): the containers of one daemon; exec'd processes
 * are kept by {@link Execs}. Checkpoint
 * is not registered, so the ttrpc server answers UNIMPLEMENTED.
 */
public final class TaskService implements Adopter {
    /** How long the runtime has to send the pty master after its create returned. */
    static final java.time.Duration CONSOLE_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** How long the exit event waits for a terminal's last output. */
    static final java.time.Duration CONSOLE_DRAIN = java.time.Duration.ofSeconds(2);

    public static final List<String> SERVICE_NAMES = List.of("containerd.task.v2.Task", "containerd.task.v3.Task");
    static final String VERSION = "jurunc-shim-v2";

    private final ShimOs os;
    private final BackendSelector selector;
    private final EventSink events;
    private final Runnable exitDaemon;
    private final Consumer<String> log;
    private final TaskJournal journal;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private final Execs execs;
    /** Ids being created now: creates of different containers run concurrently (a microVM create is slow). */
    private final java.util.Set<String> creating = ConcurrentHashMap.newKeySet();
    /** Creates a crashed daemon JVM left half done and its successor undid, by id, with when they were undone. */
    private final Map<String, java.time.Instant> undone = new ConcurrentHashMap<>();
    /** How long the Create the holder sends again after a crash is expected (it comes once the JVM serves). */
    static final java.time.Duration REPLAY_WINDOW = java.time.Duration.ofMinutes(1);

    public TaskService(
            ShimOs os, BackendSelector selector, EventSink events, Runnable exitDaemon, Consumer<String> log) {
        this(os, selector, events, exitDaemon, log, TaskJournal.NONE);
    }

    /** With a journal of the tasks, which the next daemon JVM adopts after a crash of this one. */
    public TaskService(
            ShimOs os,
            BackendSelector selector,
            EventSink events,
            Runnable exitDaemon,
            Consumer<String> log,
            TaskJournal journal) {
        this.journal = journal;
        this.os = os;
        this.selector = selector;
        this.events = events;
        this.exitDaemon = exitDaemon;
        this.log = log;
        this.execs = new Execs(os, events, log);
    }

    /** Method name → handler, for registering under each of {@link #SERVICE_NAMES}. */
    public Map<String, UnaryHandler> handlers() {
        Map<String, UnaryHandler> m = new LinkedHashMap<>();
        m.put("Create", UnaryHandler.proto(CreateTaskRequest.parser(), (r, c) -> create(r)));
        m.put("Start", UnaryHandler.proto(StartRequest.parser(), (r, c) -> start(r)));
        m.put("State", UnaryHandler.proto(StateRequest.parser(), (r, c) -> state(r)));
        m.put("Kill", UnaryHandler.proto(KillRequest.parser(), (r, c) -> kill(r)));
        m.put("Wait", UnaryHandler.proto(WaitRequest.parser(), (r, c) -> await(r)));
        m.put("Delete", UnaryHandler.proto(DeleteRequest.parser(), (r, c) -> delete(r)));
        m.put("Pids", UnaryHandler.proto(PidsRequest.parser(), (r, c) -> pids(r)));
        m.put("Connect", UnaryHandler.proto(ConnectRequest.parser(), (r, c) -> connect(r)));
        m.put("Shutdown", UnaryHandler.proto(ShutdownRequest.parser(), (r, c) -> shutdown(r)));
        m.put("CloseIO", UnaryHandler.proto(CloseIORequest.parser(), (r, c) -> closeIO(r)));
        m.put("Update", UnaryHandler.proto(UpdateTaskRequest.parser(), (r, c) -> update(r)));
        m.put("Pause", UnaryHandler.proto(PauseRequest.parser(), (r, c) -> pause(r)));
        m.put("Resume", UnaryHandler.proto(ResumeRequest.parser(), (r, c) -> resume(r)));
        m.put("Stats", UnaryHandler.proto(StatsRequest.parser(), (r, c) -> stats(r)));
        m.put("ResizePty", UnaryHandler.proto(ResizePtyRequest.parser(), (r, c) -> resizePty(r)));
        m.put("Exec", UnaryHandler.proto(ExecProcessRequest.parser(), (r, c) -> execs.add(find(r.getId(), ""), r)));
        return m;
    }

    public int containerCount() {
        return containers.size();
    }

    public CreateTaskResponse create(CreateTaskRequest req) throws TtrpcException {
        if (req.getId().isEmpty() || req.getBundle().isEmpty()) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, "create needs an id and a bundle");
        }
        if (!req.getCheckpoint().isEmpty()) {
            throw new TtrpcException(StatusCode.UNIMPLEMENTED, "checkpoint/restore is not supported");
        }
        Path bundle = Path.of(req.getBundle());
        java.time.Instant undoneAt = undone.remove(req.getId());
        if (undoneAt != null && undoneAt.plus(REPLAY_WINDOW).isAfter(java.time.Instant.now())) {
            // The client's stdio went with the first attempt (its FIFO readers saw EOF when the partial
            // container was removed), so this Create cannot be carried out again: containerd cleans up.
            throw new TtrpcException(
                    StatusCode.UNAVAILABLE,
                    "the shim daemon died while creating " + req.getId()
                            + "; the partial container was removed: create it again");
        }
        if (!creating.add(req.getId())) {
            throw new TtrpcException(StatusCode.ALREADY_EXISTS, "container " + req.getId() + " is being created");
        }
        try {
            if (containers.containsKey(req.getId())) {
                throw new TtrpcException(StatusCode.ALREADY_EXISTS, "container " + req.getId() + " already exists");
            }
            // before anything is mounted or created: the next daemon cleans up after a crash from here on
            journal.write(TaskRecord.creating(
                    req.getId(), bundle, !req.getRootfsList().isEmpty()));
            boolean mounted;
            try {
                mounted = mountRootfs(bundle, req.getRootfsList());
            } catch (TtrpcException e) {
                journal.remove(req.getId());
                throw e;
            }
            Optional<StdinRelay> relay = Optional.empty();
            Optional<Console> console = Optional.empty();
            Container c;
            try {
                ContainerBackend backend = selector.select(bundle);
                Created created;
                if (req.getTerminal()) {
                    // as containerd's runc shim: the runtime sends the pty master back, the shim relays
                    console = Optional.of(os.console());
                    created = backend.create(new CreateSpec(
                            req.getId(),
                            bundle,
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            true,
                            Optional.of(console.get().socket())));
                    console.get().receiveMaster(CONSOLE_TIMEOUT);
                    console.get().relay(path(req.getStdin()), path(req.getStdout()), log);
                } else {
                    Optional<Path> stdin = path(req.getStdin());
                    if (stdin.isPresent()) {
                        relay = Optional.of(StdinRelay.open(stdin.get(), os, log));
                        stdin = Optional.of(relay.get().childPath());
                    }
                    created = backend.create(new CreateSpec(
                            req.getId(), bundle, stdin, path(req.getStdout()), path(req.getStderr()), false));
                }
                relay.ifPresent(StdinRelay::start);
                c = new Container(
                        req.getId(),
                        bundle,
                        backend,
                        created.pid(),
                        req.getStdin(),
                        req.getStdout(),
                        req.getStderr(),
                        req.getTerminal(),
                        mounted,
                        relay,
                        false,
                        journal.startTime(created.pid()));
                c.console = console.orElse(null);
                journal.forgetExit(c.pid); // a record of an earlier process with this pid is stale
                journal.write(record(c, TaskRecord.Phase.CREATED));
                containers.put(c.id, c);
                c.lock.lock();
                try {
                    events.publish(
                            Topics.TASK_CREATE,
                            TaskCreate.newBuilder()
                                    .setContainerId(c.id)
                                    .setBundle(req.getBundle())
                                    .addAllRootfs(req.getRootfsList())
                                    .setIo(TaskIO.newBuilder()
                                            .setStdin(c.stdin)
                                            .setStdout(c.stdout)
                                            .setStderr(c.stderr)
                                            .setTerminal(c.terminal))
                                    .setPid(c.pid)
                                    .build());
                } finally {
                    c.lock.unlock();
                }
                watch(c, created);
            } catch (BackendException | OsException e) {
                journal.remove(req.getId());
                relay.ifPresent(StdinRelay::close);
                console.ifPresent(Console::close);
                if (mounted) {
                    unmountQuietly(bundle);
                }
                throw e instanceof BackendException be
                        ? status(be)
                        : new TtrpcException(StatusCode.INTERNAL, e.getMessage(), e);
            }
            log.accept("created " + c.id + " (" + c.backend.name() + ") pid " + c.pid);
            return CreateTaskResponse.newBuilder().setPid(c.pid).build();
        } finally {
            creating.remove(req.getId());
        }
    }

    private void watch(Container c, Created created) {
        watch(c, () -> created.process().isPresent() ? exitOf(created.process().get()) : os.awaitExit(c.pid));
    }

    /** How the exit of a watched container is learnt. */
    @FunctionalInterface
    private interface ExitSource {
        ExitStatus await() throws InterruptedException;
    }

    private void watch(Container c, ExitSource source) {
        Runnable onExit = () -> {
            ExitStatus status;
            try {
                status = source.await();
            } catch (InterruptedException e) {
                return;
            }
            Console console = c.console;
            if (console != null) {
                try {
                    console.drain(CONSOLE_DRAIN); // the container's last output before its exit event
                } catch (InterruptedException e) {
                    return;
                }
            }
            c.lock.lock();
            try {
                TaskRecord.Phase phase =
                        c.status() == Status.RUNNING ? TaskRecord.Phase.RUNNING : TaskRecord.Phase.CREATED;
                if (containers.get(c.id) == c) {
                    journal.write(record(c, phase).exited(status));
                }
                c.exit.complete(status);
                events.publish(
                        Topics.TASK_EXIT,
                        TaskExit.newBuilder()
                                .setContainerId(c.id)
                                .setId(c.id)
                                .setPid(c.pid)
                                .setExitStatus(status.status())
                                .setExitedAt(OrderedPublisher.timestamp(status.exitedAt()))
                                .build());
            } finally {
                c.lock.unlock();
            }
            log.accept(c.id + " exited with status " + status.status());
        };
        // waitid blocks the thread in the kernel: give it a platform thread, not a pinned virtual one.
        Thread.ofPlatform().daemon().name("reap-" + c.id).start(onExit);
    }

    private static ExitStatus exitOf(Process p) throws InterruptedException {
        int code = p.waitFor();
        return new ExitStatus(code & 0xff, java.time.Instant.now());
    }

    public StartResponse start(StartRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId())) return execs.start(find(req.getId(), "").id, req.getExecId());
        Container c = find(req.getId(), req.getExecId());
        c.lock.lock();
        try {
            if (c.adopted && c.status() == Status.RUNNING) {
                // a Start the crashed daemon had carried out, sent again by the holder
                return StartResponse.newBuilder().setPid(c.pid).build();
            }
            if (c.status() != Status.CREATED) {
                throw new TtrpcException(
                        StatusCode.FAILED_PRECONDITION,
                        "container " + c.id + " is " + c.status().name().toLowerCase() + ", not created");
            }
            try {
                c.backend.start(c.id);
            } catch (BackendException e) {
                // Start replayed after a crash that came between the runtime's start and the journal: the
                // process the runtime started lives on, and the runtime refuses a second start.
                if (!(c.adopted && e.kind() == BackendException.Kind.FAILED_PRECONDITION && !c.exit.isDone())) {
                    throw e;
                }
                log.accept("start of adopted " + c.id + ": already started before the crash (" + e.getMessage() + ")");
            }
            c.markRunning();
            journal.write(record(c, TaskRecord.Phase.RUNNING));
            events.publish(
                    Topics.TASK_START,
                    TaskStart.newBuilder().setContainerId(c.id).setPid(c.pid).build());
        } catch (BackendException e) {
            throw status(e);
        } finally {
            c.lock.unlock();
        }
        return StartResponse.newBuilder().setPid(c.pid).build();
    }

    public StateResponse state(StateRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId())) return execs.state(req.getId(), req.getExecId());
        Container c = find(req.getId(), req.getExecId());
        StateResponse.Builder b = StateResponse.newBuilder()
                .setId(c.id)
                .setBundle(c.bundle.toString())
                .setPid(c.pid)
                .setStatus(c.status())
                .setStdin(c.stdin)
                .setStdout(c.stdout)
                .setStderr(c.stderr)
                .setTerminal(c.terminal);
        c.exitStatus()
                .ifPresent(e -> b.setExitStatus(e.status()).setExitedAt(OrderedPublisher.timestamp(e.exitedAt())));
        return b.build();
    }

    public Empty kill(KillRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId()))
            return execs.kill(req.getId(), req.getExecId(), req.getSignal());
        Container c = find(req.getId(), req.getExecId());
        if (c.exit.isDone()) {
            throw new TtrpcException(StatusCode.NOT_FOUND, "process already finished");
        }
        try {
            c.backend.kill(c.id, req.getSignal(), req.getAll());
        } catch (BackendException e) {
            if (c.exit.isDone()) {
                throw new TtrpcException(StatusCode.NOT_FOUND, "process already finished");
            }
            throw status(e);
        }
        return Empty.getDefaultInstance();
    }

    public WaitResponse await(WaitRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId())) return execs.await(req.getId(), req.getExecId());
        Container c = find(req.getId(), req.getExecId());
        ExitStatus e;
        try {
            e = c.exit.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(StatusCode.CANCELLED, "wait for " + c.id + " interrupted");
        } catch (ExecutionException ex) {
            throw new TtrpcException(StatusCode.INTERNAL, "wait for " + c.id + ": " + ex.getCause());
        }
        return WaitResponse.newBuilder()
                .setExitStatus(e.status())
                .setExitedAt(OrderedPublisher.timestamp(e.exitedAt()))
                .build();
    }

    public DeleteResponse delete(DeleteRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId())) return execs.delete(req.getId(), req.getExecId());
        Container c = find(req.getId(), req.getExecId());
        if (c.status() == Status.RUNNING) {
            throw new TtrpcException(
                    StatusCode.FAILED_PRECONDITION, "cannot delete running task " + c.id + ": kill it first");
        }
        try {
            c.backend.delete(c.id, !c.exit.isDone());
        } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.NOT_FOUND) {
                throw status(e);
            }
        }
        ExitStatus exit;
        try {
            exit = c.exit.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new TtrpcException(
                    StatusCode.DEADLINE_EXCEEDED,
                    "container " + c.id + " (pid " + c.pid + ") did not exit after delete");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(StatusCode.CANCELLED, "delete of " + c.id + " interrupted");
        }
        c.stdinRelay.ifPresent(StdinRelay::close);
        if (c.console != null) c.console.close();
        if (c.rootfsMounted) {
            unmountQuietly(c.bundle);
        }
        c.lock.lock();
        try {
            containers.remove(c.id);
            execs.forget(c.id);
            journal.remove(c.id);
            journal.forgetExit(c.pid);
            events.publish(
                    Topics.TASK_DELETE,
                    TaskDelete.newBuilder()
                            .setContainerId(c.id)
                            .setPid(c.pid)
                            .setExitStatus(exit.status())
                            .setExitedAt(OrderedPublisher.timestamp(exit.exitedAt()))
                            .build());
        } finally {
            c.lock.unlock();
        }
        log.accept("deleted " + c.id);
        return DeleteResponse.newBuilder()
                .setPid(c.pid)
                .setExitStatus(exit.status())
                .setExitedAt(OrderedPublisher.timestamp(exit.exitedAt()))
                .build();
    }

    public PidsResponse pids(PidsRequest req) throws TtrpcException {
        Container c = find(req.getId(), "");
        if (c.exit.isDone()) {
            return PidsResponse.getDefaultInstance();
        }
        try {
            List<ProcessInfo> infos = new ArrayList<>();
            for (int pid : c.backend.pids(c.id)) {
                infos.add(ProcessInfo.newBuilder().setPid(pid).build());
            }
            return PidsResponse.newBuilder().addAllProcesses(infos).build();
        } catch (BackendException e) {
            throw status(e);
        }
    }

    public ConnectResponse connect(ConnectRequest req) throws TtrpcException {
        Container c = containers.get(req.getId());
        return ConnectResponse.newBuilder()
                .setShimPid(os.pid())
                .setTaskPid(c == null ? 0 : c.pid)
                .setVersion(VERSION)
                .build();
    }

    /**
     * A no-op while containers remain; otherwise the daemon's exit hook runs once the answer is on its way (a
     * pod-scope daemon exits, the resident node daemon stays).
     */
    public Empty shutdown(ShutdownRequest req) {
        if (containers.isEmpty()) {
            log.accept("shutdown: no containers left");
            exitDaemon.run();
        }
        return Empty.getDefaultInstance();
    }

    /** Closes the container's stdin (the pipe the shim feeds from containerd's FIFO). */
    public Empty closeIO(CloseIORequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId()))
            return execs.closeIO(req.getId(), req.getExecId(), req.getStdin());
        Container c = find(req.getId(), req.getExecId());
        if (req.getStdin()) {
            c.stdinRelay.ifPresent(StdinRelay::closeStdin);
        }
        return Empty.getDefaultInstance();
    }

    public Empty update(UpdateTaskRequest req) throws TtrpcException {
        Container c = find(req.getId(), "");
        if (!req.hasResources()) {
            return Empty.getDefaultInstance();
        }
        try {
            // containerd encodes OCI LinuxResources as JSON in the Any (typeurl's JSON registration).
            c.backend.update(c.id, req.getResources().getValue().toByteArray());
        } catch (BackendException e) {
            throw status(e);
        }
        return Empty.getDefaultInstance();
    }

    private static TaskRecord record(Container c, TaskRecord.Phase phase) {
        return new TaskRecord(
                c.id,
                c.bundle,
                phase,
                c.pid,
                c.pidStartTime,
                c.stdin,
                c.stdout,
                c.stderr,
                c.terminal,
                c.rootfsMounted,
                java.util.Optional.empty());
    }

    /**
     * Takes over a task of a crashed daemon JVM (see {@code io.jurunc.shim.recovery.Adoption}): its process is
     * no longer this JVM's child, so its exit comes from the journal (the holder's record), or is already known
     * (then it is not published again). An exit learnt now is published as TaskExit. stdin is not relayed any
     * more (the relay died with the old JVM).
     */
    @Override
    public void adopt(TaskRecord r, ContainerBackend backend) {
        Container c = new Container(
                r.id(),
                r.bundle(),
                backend,
                r.pid(),
                r.stdin(),
                r.stdout(),
                r.stderr(),
                r.terminal(),
                r.rootfsMounted(),
                Optional.empty(),
                true,
                r.pidStartTime());
        if (r.phase() == TaskRecord.Phase.RUNNING) {
            c.markRunning();
        }
        containers.put(c.id, c);
        if (r.exit().isPresent()) {
            c.exit.complete(r.exit().get());
            log.accept("adopted " + c.id + " (" + backend.name() + "), exited before with status "
                    + r.exit().get().status());
            return;
        }
        log.accept("adopted " + c.id + " (" + backend.name() + ") pid " + c.pid + ", "
                + c.status().name().toLowerCase());
        watch(c, () -> journal.awaitExit(c.pid, c.pidStartTime));
    }

    /** Pauses a running task (runc pause; a microVM: QEMU stop and/or the cgroup freezer), then TaskPaused. */
    public Empty pause(PauseRequest req) throws TtrpcException {
        Container c = find(req.getId(), "");
        c.lock.lock();
        try {
            if (c.status() != Status.RUNNING) {
                throw new TtrpcException(
                        StatusCode.FAILED_PRECONDITION,
                        "container " + c.id + " is " + c.status().name().toLowerCase() + ", not running");
            }
            c.backend.pause(c.id);
            c.markPaused();
            events.publish(
                    Topics.TASK_PAUSED,
                    TaskPaused.newBuilder().setContainerId(c.id).build());
        } catch (BackendException e) {
            throw status(e);
        } finally {
            c.lock.unlock();
        }
        return Empty.getDefaultInstance();
    }

    /** Resumes a paused task, then TaskResumed. */
    public Empty resume(ResumeRequest req) throws TtrpcException {
        Container c = find(req.getId(), "");
        c.lock.lock();
        try {
            if (c.status() != Status.PAUSED) {
                throw new TtrpcException(
                        StatusCode.FAILED_PRECONDITION,
                        "container " + c.id + " is " + c.status().name().toLowerCase() + ", not paused");
            }
            c.backend.resume(c.id);
            c.markRunning();
            events.publish(
                    Topics.TASK_RESUMED,
                    TaskResumed.newBuilder().setContainerId(c.id).build());
        } catch (BackendException e) {
            throw status(e);
        } finally {
            c.lock.unlock();
        }
        return Empty.getDefaultInstance();
    }

    /** The task's cgroup usage as containerd's {@code io.containerd.cgroups.v2.Metrics}. */
    /**
     * The window size of a terminal task's pty ({@code TIOCSWINSZ}), as containerd's runc shim sets it; the
     * container's init process is then told too ({@link ConsoleSizeForwarder}: a microVM's guest console).
     */
    public Empty resizePty(ResizePtyRequest req) throws TtrpcException {
        if (Execs.isExec(req.getId(), req.getExecId())) {
            return execs.resize(find(req.getId(), "").id, req.getExecId(), req.getWidth(), req.getHeight());
        }
        Container c = find(req.getId(), "");
        Console console = c.console;
        if (console == null) {
            throw new TtrpcException(StatusCode.FAILED_PRECONDITION, "container " + c.id + " has no terminal");
        }
        try {
            console.resize(req.getWidth(), req.getHeight());
        } catch (OsException e) {
            throw new TtrpcException(StatusCode.INTERNAL, e.getMessage(), e);
        }
        // a microVM's application holds the guest's console, not this pty: its init is told (not waited for)
        if (req.getWidth() > 0 && req.getHeight() > 0 && !c.exit.isDone()) {
            c.consoleSize(log).submit(req.getHeight(), req.getWidth());
        }
        return Empty.getDefaultInstance();
    }

    public StatsResponse stats(StatsRequest req) throws TtrpcException {
        Container c = find(req.getId(), "");
        if (c.exit.isDone()) {
            throw new TtrpcException(StatusCode.NOT_FOUND, "container " + c.id + " is not running");
        }
        try {
            return StatsResponse.newBuilder()
                    .setStats(CgroupMetrics.pack(c.backend.stats(c.id)))
                    .build();
        } catch (BackendException e) {
            throw status(e);
        }
    }

    /**
     * A create the crashed daemon JVM had begun was undone (see {@code io.jurunc.shim.recovery.Adoption}): the
     * Create the holder sends again for it is refused, so that containerd cleans up and the client sees an
     * error.
     */
    @Override
    public void undoneCreate(String id) {
        undone.put(id, java.time.Instant.now());
    }

    private Container find(String id, String execId) throws TtrpcException {
        if (!execId.isEmpty() && !execId.equals(id)) {
            throw new TtrpcException(StatusCode.NOT_FOUND, "exec " + execId + " not found: exec is not supported");
        }
        Container c = containers.get(id);
        if (c == null) {
            throw new TtrpcException(StatusCode.NOT_FOUND, "container " + id + " not found");
        }
        return c;
    }

    private boolean mountRootfs(Path bundle, List<Mount> mounts) throws TtrpcException {
        if (mounts.isEmpty()) {
            return false;
        }
        Path rootfs = bundle.resolve("rootfs");
        List<Path> done = new ArrayList<>();
        try {
            Files.createDirectories(rootfs);
            for (Mount m : mounts) {
                Path target = m.getTarget().isEmpty()
                        ? rootfs
                        : rootfs.resolve(m.getTarget().replaceFirst("^/+", ""));
                os.mount(MountSpec.parse(m.getType(), m.getSource(), m.getOptionsList()), target);
                done.add(target);
            }
            return true;
        } catch (IOException | OsException | IllegalArgumentException e) {
            for (int i = done.size() - 1; i >= 0; i--) {
                try {
                    os.unmount(done.get(i));
                } catch (OsException ignored) {
                    // best effort while failing
                }
            }
            throw new TtrpcException(StatusCode.INTERNAL, "mounting the rootfs of " + bundle + ": " + e.getMessage());
        }
    }

    private void unmountQuietly(Path bundle) {
        try {
            os.unmount(bundle.resolve("rootfs"));
        } catch (OsException e) {
            log.accept("warning: " + e.getMessage());
        }
    }

    private static Optional<Path> path(String fifo) {
        if (fifo.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(fifo.startsWith("fifo://") ? fifo.substring("fifo://".length()) : fifo));
    }

    static TtrpcException status(BackendException e) {
        StatusCode code = switch (e.kind()) {
            case NOT_FOUND -> StatusCode.NOT_FOUND;
            case FAILED_PRECONDITION -> StatusCode.FAILED_PRECONDITION;
            case UNSUPPORTED -> StatusCode.UNIMPLEMENTED;
            case FAILED -> StatusCode.UNKNOWN;
        };
        return new TtrpcException(code, e.getMessage(), e);
    }
}
