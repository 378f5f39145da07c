package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.hooks.HookRunner;
import io.jurunc.runtime.hooks.HookStage;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.host.ProcessInfo;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.state.PrivateFiles;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.VmSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code start}: sets up the network in the container's netns (which {@code ctr run --cni} has
 * configured by now) with a tap the monitor's user may open, builds the monitor's command line and
 * launch file (its minimal root, user and argv), releases the waiter — which confines itself and
 * execs the monitor under the same pid — and waits until the exec has happened, so that a monitor that
 * cannot start is reported here. A failed start removes the tap it made.
 */
public final class StartOperation {
    /** How long the waiter may take to get ready, and the monitor to be exec'd once released. */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(5);
    /** Written by the sandbox init once the monitor was exec'd. */
    static final String EXECD = "monitor.execd";

    private final RuntimeContext ctx;

    public StartOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public ContainerRecord run(String id) throws JuruncException {
        ctx.timestamps().mark(id, "start.invoked");
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (!status.canStart()) {
            throw new ContainerStateException("cannot start container '" + id + "': it is " + status.ociName()
                    + (status == ContainerStatus.STOPPED
                            ? " (its process exited; delete it and create it again)"
                            : ""));
        }
        if (r.fromEarlierVersion()) throw ContainerStateException.earlierVersion(id);
        if (r.plan() == null) {
            throw new ContainerStateException("container '" + id + "' has no VM plan; delete it and create it again");
        }
        Path dir = ctx.store().dir(CreateOperation.parseId(id));
        Path readyFile = dir.resolve(WaiterCommand.READY); // the waiter makes it once inside its namespaces
        awaitWaiter(r, () -> ctx.host().exists(readyFile), "did not enter its namespaces");
        if (r.sandbox() == null) {
            throw new ContainerStateException("container '" + id + "' has no monitor user (created by another jurunc "
                    + "version?); delete it and create it again");
        }
        MonitorUser user = MonitorConfinement.user(r.sandbox());
        Path netns = networkNamespace(r);
        Optional<GuestNet> net = ctx.network().setup(netns, id, user);
        ctx.store().save(r.withTap(net.map(GuestNet::tapName).orElse(null)));
        ctx.timestamps().mark(id, "start.network");
        try {
            VmSpec vm = r.plan().withNet(net);
            QmpSocket.Attached qmp = QmpSocket.attach(ctx.host(), ctx.planner().plan(vm), dir, r.sandbox());
            MonitorInvocation inv = ExecChannel.attach(qmp);
            List<String> outside = new ArrayList<>();
            for (MonitorInvocation.GeneratedFile f : inv.files()) {
                write(f.path().getParent(), f.path(), f.content().getBytes(StandardCharsets.UTF_8));
                if (!f.path().startsWith(dir)) outside.add(f.path().toString());
            }
            LaunchFile launch = qmp.bind(MonitorConfinement.launch(vm, inv, dir, ctx.config(), r.sandbox()));
            write(dir, dir.resolve(LaunchFile.NAME), launch.encode());
            ContainerRecord planned = r.planned(net.map(GuestNet::tapName).orElse(null), inv.argv(), outside);
            ctx.store().save(planned);
            ctx.timestamps().mark(id, "start.monitor_planned");
            Path fifo = Path.of(r.startFifo());
            awaitWaiter(planned, () -> ctx.host().pokeFifo(fifo), "did not open " + fifo);
            ctx.timestamps().mark(id, "start.released");
            awaitExec(planned, dir);
            ContainerRecord running = planned.withStatus(ContainerStatus.RUNNING);
            ctx.store().save(running);
            ctx.timestamps().mark(id, "start.done");
            // poststart: after the monitor runs; a failing hook is only a warning, as in runc
            new HookRunner(ctx.host(), ctx.log())
                    .runKept(
                            dir,
                            HookStage.POSTSTART,
                            new io.jurunc.oci.State(
                                    running.ociVersion(),
                                    id,
                                    "running",
                                    Math.toIntExact(running.pid()),
                                    running.bundle(),
                                    running.annotations()));
            return running;
        } catch (JuruncException | RuntimeException e) {
            if (net.isPresent()) {
                try {
                    ctx.network().teardown(netns, id);
                } catch (JuruncException te) {
                    e.addSuppressed(te);
                }
            }
            throw e;
        }
    }

    /** A check that may fail while the waiter is still getting ready. */
    private interface Ready {
        boolean check() throws JuruncException;
    }

    /**
     * Polls {@code ready} while the waiter lives, for up to 5 s: right after create it may not yet be
     * inside its namespaces, nor have opened its FIFO.
     */
    private void awaitWaiter(ContainerRecord r, Poll.Condition<JuruncException> ready, String notYet)
            throws JuruncException {
        boolean done;
        try {
            done = Poll.until(ctx.host(), EXEC_TIMEOUT, Duration.ofMillis(1), () -> {
                if (ready.holds()) return true;
                if (!StatusResolver.alive(r, ctx.host())) throw ContainerStateException.waiterGone(r.id());
                return false;
            });
        } catch (InterruptedException e) {
            throw new ContainerStateException("start of '" + r.id() + "' interrupted");
        }
        if (!done) {
            throw new ContainerStateException(
                    "cannot start container '" + r.id() + "': its waiting process " + notYet + " within 5 s");
        }
    }

    /** The netns named by the spec, else the waiter's own (fresh, or configured by CNI after create). */
    static Path networkNamespace(ContainerRecord r) {
        return r.netnsPath() != null ? Path.of(r.netnsPath()) : Path.of("/proc", Long.toString(r.pid()), "ns", "net");
    }

    /** Writes a root-only file (0600) atomically, making its directory first. */
    private void write(Path parent, Path path, byte[] content) throws SandboxException {
        try {
            ctx.host().createDirectories(parent);
            ctx.host().writeAtomically(path, content, PrivateFiles.FILE);
        } catch (HostException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /**
     * Waits until the waiter has exec'd the monitor: its argv no longer carries the waiter's marker.
     * A process gone (or a zombie) meanwhile is a monitor that exited at once.
     */
    private void awaitExec(ContainerRecord r, Path dir) throws JuruncException {
        boolean execd;
        try {
            execd = Poll.until(ctx.host(), EXEC_TIMEOUT, Duration.ofNanos(200_000), () -> {
                Optional<ProcessInfo> p = ctx.host().inspect(r.pid());
                if (p.isEmpty() || p.get().isZombie()) {
                    // gone already: a monitor that ran and exited at once (its exit is the container's),
                    // or one that never ran
                    if (monitorExecd(dir)) return true;
                    throw new SandboxException("the monitor of container '" + r.id() + "' exited at once ("
                            + String.join(" ", r.monitorArgv())
                            + "); its output went to the container's stdout/stderr");
                }
                return ctx.host().cmdline(r.pid()).stream().noneMatch(a -> a.contains(WaiterCommand.MARKER));
            });
        } catch (InterruptedException e) {
            return;
        }
        if (!execd) throw new SandboxException("container '" + r.id() + "': the monitor did not start within 5 s");
    }

    /** The sandbox init writes {@value #EXECD} once the monitor was exec'd (runtime/src/main/c/sandbox.c). */
    private boolean monitorExecd(Path dir) throws JuruncException {
        Path f = dir.resolve(EXECD);
        return ctx.host().exists(f) && ctx.host().size(f) > 0;
    }
}
