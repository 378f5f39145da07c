package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.hooks.HookRunner;
import io.jurunc.runtime.hooks.HookStage;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.state.ContainerId;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code delete}: removes the tap and tc rules, generated files, the monitor's cgroup, its uid and
 * vsock CID, and the state directory. A running
 * container is refused unless {@code --force}, which kills it first (as runc). A created one is
 * deleted like runc does: its waiting process is killed.
 */
public final class DeleteOperation {
    private static final int SIGKILL = 9;
    private final RuntimeContext ctx;

    public DeleteOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id, boolean force) throws JuruncException {
        ContainerId cid = CreateOperation.parseId(id);
        ContainerRecord r = ctx.store().load(cid);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (!force && !status.canDeleteWithoutForce()) {
            throw new ContainerStateException("cannot delete container '" + id + "': it is " + status.ociName() + "; "
                    + "stop it with 'kill' first or use 'delete --force'");
        }
        boolean alive = status.isAlive();
        JuruncException failure = null;
        // Tear the network down while the netns still exists: a netns that is only the process's own
        // (/proc/<pid>/ns/net) goes away with the process, and its tap with it.
        if (r.netnsPath() != null || (alive && r.tapName() != null)) {
            try {
                ctx.network().teardown(StartOperation.networkNamespace(r), id);
            } catch (JuruncException e) {
                failure = e;
            }
        }
        if (alive) {
            if (status == ContainerStatus.PAUSED) thawQuietly(r); // a frozen v1 task dies only once thawed
            ctx.host().signal(r.pid(), SIGKILL);
            awaitExit(r);
        }
        for (String f : r.generatedFiles()) {
            try {
                ctx.host().delete(Path.of(f));
            } catch (HostException e) {
                ctx.log().accept(e.getMessage());
            }
        }
        List<Exception> leftovers = new ArrayList<>();
        MonitorConfinement.release(r, ctx.config(), ctx.host(), leftovers); // the monitor's cgroup, uid and vsock CID
        for (Exception e : leftovers) ctx.log().accept("delete " + id + ": " + e.getMessage());
        // poststop: the container's process is gone; a failing hook is only a warning, as in runc
        new HookRunner(ctx.host(), ctx.log())
                .runKept(
                        ctx.store().dir(cid),
                        HookStage.POSTSTOP,
                        new io.jurunc.oci.State(
                                r.ociVersion(), id, "stopped", Math.toIntExact(r.pid()), r.bundle(), r.annotations()));
        ctx.store().remove(cid);
        if (failure != null) throw failure;
    }

    private void thawQuietly(ContainerRecord r) {
        try {
            ResumeOperation.unfreeze(ctx, r);
        } catch (JuruncException e) {
            ctx.log().accept("delete " + r.id() + ": thawing before the kill: " + e.getMessage());
        }
    }

    /**
     * Waits on the host's clock until the process is gone or a zombie (its reaper is the shim), at most
     * {@link #EXIT_WAIT}; one that outlives it is left to its reaper and the delete goes on.
     */
    private void awaitExit(ContainerRecord r) throws JuruncException {
        try {
            if (!Poll.until(ctx.host(), EXIT_WAIT, EXIT_STEP, () -> !StatusResolver.alive(r, ctx.host()))) {
                ctx.log()
                        .accept("delete " + r.id() + ": process " + r.pid() + " still there " + EXIT_WAIT.toMillis()
                                + " ms after SIGKILL; deleting its state anyway");
            }
        } catch (InterruptedException e) {
            // Poll set the flag again; the delete goes on, as before
        }
    }

    static final Duration EXIT_WAIT = Duration.ofSeconds(2);
    private static final Duration EXIT_STEP = Duration.ofMillis(2);
}
