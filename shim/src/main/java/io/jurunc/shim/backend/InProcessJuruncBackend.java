package io.jurunc.shim.backend;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.config.ConfigException;
import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.ConsoleResizeOperation;
import io.jurunc.runtime.lifecycle.ContainerStateException;
import io.jurunc.runtime.lifecycle.ContainerStats;
import io.jurunc.runtime.lifecycle.CreateOperation;
import io.jurunc.runtime.lifecycle.CreateRequest;
import io.jurunc.runtime.lifecycle.DeleteOperation;
import io.jurunc.runtime.lifecycle.ExecOperation;
import io.jurunc.runtime.lifecycle.ExecRequest;
import io.jurunc.runtime.lifecycle.InvalidExecException;
import io.jurunc.runtime.lifecycle.InvalidResourcesException;
import io.jurunc.runtime.lifecycle.KillOperation;
import io.jurunc.runtime.lifecycle.PauseOperation;
import io.jurunc.runtime.lifecycle.ResourceUpdate;
import io.jurunc.runtime.lifecycle.ResumeOperation;
import io.jurunc.runtime.lifecycle.RuntimeContext;
import io.jurunc.runtime.lifecycle.StartOperation;
import io.jurunc.runtime.lifecycle.StateQuery;
import io.jurunc.runtime.lifecycle.StatsQuery;
import io.jurunc.runtime.lifecycle.UpdateOperation;
import io.jurunc.runtime.lifecycle.VmUnsupportedException;
import io.jurunc.runtime.state.ContainerNotFoundException;
import io.jurunc.runtime.wiring.Runtimes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs unikernel containers with the jurunc runtime library inside the shim's JVM: create, start, kill and
 * delete are method calls, not CLI processes, so a new microVM costs no JVM start. Without a pid namespace in
 * the spec the monitor is spawned by this JVM, which observes its exit through the {@link Process} handle;
 * with one (ctr's and the CRI's default) the sandbox helper forks the monitor into it and exits, the monitor
 * is re-parented to this daemon (a subreaper), {@link Created#process()} is empty and the task service reaps
 * it by pid. State lives in the same root the jurunc CLI would use, so either can clean up after the other.
 */
public final class InProcessJuruncBackend implements ContainerBackend {
    private final Path root;
    private final Consumer<String> log;
    private RuntimeContext context;
    private final java.util.Map<String, Integer> waiters = new java.util.concurrent.ConcurrentHashMap<>();

    public InProcessJuruncBackend(Path root, Consumer<String> log) {
        this.root = root;
        this.log = log;
    }

    @Override
    public String name() {
        return "jurunc";
    }

    private synchronized RuntimeContext ctx() throws BackendException {
        if (context == null) {
            JuruncConfig config;
            try {
                config = JuruncConfig.load();
            } catch (ConfigException e) {
                throw new BackendException(BackendException.Kind.FAILED, "jurunc config: " + e.getMessage(), e);
            }
            context = Runtimes.context(root, config, log);
        }
        return context;
    }

    @Override
    public Created create(CreateSpec spec) throws BackendException {
        if (spec.terminal() && spec.consoleSocket().isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED, "a terminal (tty) task needs a console socket from the shim");
        }
        try {
            Bundle bundle = Bundle.load(spec.bundle());
            // with a terminal the monitor's stdio, so its serial console, is the pty sent to the console socket
            CreateOperation.Created c = new CreateOperation(ctx())
                    .run(new CreateRequest(
                            spec.id(),
                            bundle,
                            Optional.of(spec.pidFile()),
                            spec.consoleSocket(),
                            new Stdio.Paths(spec.stdin(), spec.stdout(), spec.stderr())));
            int pid = Math.toIntExact(c.record().pid());
            waiters.put(spec.id(), pid);
            return new Created(pid, c.process());
        } catch (JuruncException e) {
            throw translate("create", spec.id(), e);
        }
    }

    /**
     * In-process, Start follows Create within milliseconds, possibly before the waiter (the static sandbox
     * helper, still entering its namespaces) has opened its start FIFO; the runtime then reports the waiter
     * gone ({@link ContainerStateException#waiterGone()}).
     * While the waiter still lives that is only too early: retry for up to {@link #WAITER_READY}.
     */
    @Override
    public void start(String id) throws BackendException {
        RuntimeContext ctx = ctx();
        Host host = ctx.host();
        long deadline = host.nanoTime() + WAITER_READY.toNanos();
        while (true) {
            try {
                new StartOperation(ctx).run(id);
                waiters.remove(id);
                return;
            } catch (ContainerStateException e) {
                Integer pid = waiters.get(id);
                boolean early = e.waiterGone() && pid != null && alive(host, pid);
                if (!early || host.nanoTime() - deadline > 0) {
                    throw translate("start", id, e);
                }
                try {
                    host.sleep(RETRY);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw translate("start", id, e);
                }
            } catch (JuruncException e) {
                throw translate("start", id, e);
            }
        }
    }

    /**
     * The static exec relay, detached (docs/runtime.md, "exec"): the runtime checks the container and
     * writes the request; the task service runs the relay with the exec's stdio. With a terminal the relay
     * asks the guest for a pty ({@code --tty}) and sends the host pty's master to the shim's console socket.
     */
    @Override
    public ExecLaunch exec(ExecSpec spec) throws BackendException {
        if (spec.terminal() && spec.consoleSocket().isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED, "a terminal (tty) exec needs a console socket from the shim");
        }
        try {
            io.jurunc.oci.Spec.Process process =
                    io.jurunc.oci.Json.mapper().readValue(spec.processJson(), io.jurunc.oci.Spec.Process.class);
            if (process == null) throw new InvalidExecException("exec " + spec.execId() + ": no process");
            ExecOperation.Relay relay = new ExecOperation(ctx())
                    .prepare(
                            spec.containerId(),
                            ExecRequest.of(process),
                            new ExecOperation.Options(
                                    true,
                                    Optional.of(spec.pidFile()),
                                    spec.consoleSocket(),
                                    Optional.of(spec.logFile())));
            return new ExecLaunch(relay.argv(), spec.pidFile(), Optional.of(spec.logFile()));
        } catch (java.io.IOException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED_PRECONDITION,
                    "exec " + spec.execId() + ": the process is not an OCI process: " + e.getMessage(),
                    e);
        } catch (JuruncException e) {
            throw translate("exec", spec.containerId(), e);
        }
    }

    /**
     * The guest's console gets the size (ConsoleResizeOperation): a C frame to the init over a free exec
     * port. A unikernel has no init to tell, and with every exec port busy the guest keeps its size: both
     * are logged, not errors (the host pty has the size anyway).
     */
    @Override
    public void resizeConsole(String id, int rows, int cols) throws BackendException {
        try {
            var outcome = new ConsoleResizeOperation(ctx()).run(id, new ConsoleResizeOperation.ConsoleSize(rows, cols));
            switch (outcome) {
                case RESIZED -> {}
                case NO_INIT ->
                    log.accept("debug: " + id + ": a unikernel's console keeps its size (no init to tell " + rows + "x"
                            + cols + ")");
                case NO_CHANNEL ->
                    log.accept(id + ": the guest's console keeps its size (" + rows + "x" + cols
                            + " not sent): its VM has no exec port");
                case BUSY ->
                    log.accept(id + ": the guest's console keeps its size (" + rows + "x" + cols
                            + " not sent): every exec port of its VM runs an exec; the host pty has it");
            }
        } catch (IllegalArgumentException e) {
            throw new BackendException(BackendException.Kind.FAILED_PRECONDITION, e.getMessage(), e);
        } catch (JuruncException e) {
            throw translate("resize", id, e);
        }
    }

    static final Duration WAITER_READY = Duration.ofSeconds(5);

    private static final Duration RETRY = Duration.ofMillis(20);

    /** Alive and not a zombie. */
    private static boolean alive(Host host, int pid) {
        return host.inspect(pid).filter(p -> !p.isZombie()).isPresent();
    }

    @Override
    public void kill(String id, int signal, boolean all) throws BackendException {
        try {
            new KillOperation(ctx()).run(id, signal, all);
        } catch (JuruncException e) {
            throw translate("kill", id, e);
        }
    }

    @Override
    public void delete(String id, boolean force) throws BackendException {
        waiters.remove(id);
        try {
            new DeleteOperation(ctx()).run(id, force);
        } catch (JuruncException e) {
            throw translate("delete", id, e);
        }
    }

    @Override
    public List<Integer> pids(String id) throws BackendException {
        try {
            return new StateQuery(ctx()).pids(id).stream().map(Math::toIntExact).toList();
        } catch (JuruncException e) {
            throw translate("ps", id, e);
        }
    }

    /**
     * What a booted VM can change goes to the monitor's cgroup (CPU quota/period/shares, memory limit, pids);
     * guest RAM and vCPUs are fixed at boot and refused ({@link UpdateOperation}).
     */
    @Override
    public void update(String id, byte[] resourcesJson) throws BackendException {
        try {
            new UpdateOperation(ctx()).run(id, ResourceUpdate.fromJson(resourcesJson));
        } catch (JuruncException e) {
            throw translate("update", id, e);
        }
    }

    @Override
    public void pause(String id) throws BackendException {
        try {
            new PauseOperation(ctx()).run(id);
        } catch (JuruncException e) {
            throw translate("pause", id, e);
        }
    }

    @Override
    public void resume(String id) throws BackendException {
        try {
            new ResumeOperation(ctx()).run(id);
        } catch (JuruncException e) {
            throw translate("resume", id, e);
        }
    }

    @Override
    public ContainerStats stats(String id) throws BackendException {
        try {
            return new StatsQuery(ctx()).run(id);
        } catch (JuruncException e) {
            throw translate("stats", id, e);
        }
    }

    private static BackendException translate(String op, String id, JuruncException e) {
        BackendException.Kind kind = e instanceof ContainerNotFoundException
                ? BackendException.Kind.NOT_FOUND
                : e instanceof ContainerStateException
                        ? BackendException.Kind.FAILED_PRECONDITION
                        : e instanceof VmUnsupportedException
                                ? BackendException.Kind.UNSUPPORTED
                                : e instanceof InvalidResourcesException || e instanceof InvalidExecException
                                        ? BackendException.Kind.FAILED_PRECONDITION
                                        : BackendException.Kind.FAILED;
        return new BackendException(kind, "jurunc " + op + " " + id + ": " + e.getMessage(), e);
    }
}
