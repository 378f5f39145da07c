package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.hooks.HookRunner;
import io.jurunc.runtime.hooks.HookStage;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final long EXEC_TIMEOUT_NANOS = 5_000_000_000L;
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
        if (r.vm() == null) {
            throw new ContainerStateException(
                    "container '" + id + "' has no VM plan (created by another jurunc version?)");
        }
        Path dir = ctx.store().dir(CreateOperation.parseId(id));
        Path readyFile = dir.resolve(WaiterCommand.READY); // the waiter makes it once inside its namespaces
        awaitWaiter(r, () -> Files.exists(readyFile), "did not enter its namespaces");
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
            VmSpec vm = r.vm().toVmSpec(net);
            QmpSocket.Attached qmp = QmpSocket.attach(ctx.planner().plan(vm), dir, r.sandbox());
            MonitorInvocation inv = ExecChannel.attach(qmp);
            List<String> outside = new ArrayList<>();
            for (MonitorInvocation.GeneratedFile f : inv.files()) {
                write(f.path(), f.content().getBytes(StandardCharsets.UTF_8));
                if (!f.path().startsWith(dir)) outside.add(f.path().toString());
            }
            LaunchFile launch = qmp.bind(MonitorConfinement.launch(vm, inv, dir, ctx.config(), r.sandbox()));
            write(dir.resolve(LaunchFile.NAME), launch.encode());
            ContainerRecord planned = r.planned(net.map(GuestNet::tapName).orElse(null), inv.argv(), outside);
            ctx.store().save(planned);
            ctx.timestamps().mark(id, "start.monitor_planned");
            Path fifo = Path.of(r.startFifo());
            awaitWaiter(planned, () -> ctx.host().pokeFifo(fifo), "did not open " + fifo);
            ctx.timestamps().mark(id, "start.released");
            awaitExec(planned);
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
    private void awaitWaiter(ContainerRecord r, Ready ready, String notYet) throws JuruncException {
        long deadline = System.nanoTime() + EXEC_TIMEOUT_NANOS;
        while (!ready.check()) {
            if (!StatusResolver.alive(r, ctx.host())) {
                throw ContainerStateException.waiterGone(r.id());
            }
            if (System.nanoTime() > deadline) {
                throw new ContainerStateException(
                        "cannot start container '" + r.id() + "': its waiting process " + notYet + " within 5 s");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerStateException("start of '" + r.id() + "' interrupted");
            }
        }
    }

    /** The netns named by the spec, else the waiter's own (fresh, or configured by CNI after create). */
    static Path networkNamespace(ContainerRecord r) {
        return r.netnsPath() != null ? Path.of(r.netnsPath()) : Path.of("/proc", Long.toString(r.pid()), "ns", "net");
    }

    /** Writes a root-only file (0600) atomically. */
    private static void write(Path path, byte[] content) throws SandboxException {
        try {
            Files.createDirectories(path.getParent());
            PrivateFiles.writeAtomically(path, content, PrivateFiles.FILE);
        } catch (IOException e) {
            throw new SandboxException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private void awaitExec(ContainerRecord r) throws JuruncException {
        long deadline = System.nanoTime() + EXEC_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            Optional<ProcessInfo> p = ctx.host().inspect(r.pid());
            if (p.isEmpty() || p.get().isZombie()) {
                throw new SandboxException("the monitor of container '" + r.id() + "' exited at once ("
                        + String.join(" ", r.monitorArgv()) + "); its output went to the container's stdout/stderr");
            }
            if (!cmdline(r.pid()).contains(WaiterCommand.MARKER)) {
                return;
            }
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new SandboxException("container '" + r.id() + "': the monitor did not start within 5 s");
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
        } catch (IOException e) {
            return "";
        }
    }
}
