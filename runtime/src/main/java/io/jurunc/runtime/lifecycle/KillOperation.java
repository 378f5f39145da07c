package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;

/**
 * {@code kill}: the signal goes to the container's process, the sandbox init, which forwards it to the
 * monitor (SIGKILL ends both; QEMU stops on SIGTERM, SIGINT and SIGHUP), as urunc forwards signals to
 * the monitor since PR #612. The init handles every signal, so nothing is dropped once started; before
 * start the waiter, a pid namespace's init that catches only the terminating signals it knows, gets
 * SIGKILL instead of a terminating signal it would drop ({@link MonitorSignals}).
 */
public final class KillOperation {
    private final RuntimeContext ctx;

    public KillOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * runc's text for killing a stopped container: containerd's runc shim, Docker and Podman look for it
     * in the runtime's error to treat the kill as "process already finished" (else `ctr task rm -f` of an
     * exited microVM fails with "unknown error after kill").
     */
    public static final String NOT_RUNNING = "container not running";

    public void run(String id, int signal, boolean all) throws JuruncException {
        if (signal <= 0 || signal > 64) {
            throw new ContainerStateException("invalid signal " + signal);
        }
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (!status.canKill()) {
            throw new ContainerStateException(NOT_RUNNING + ": '" + id + "' is " + status.ociName());
        }
        // A waiter that is its pid namespace's init would drop a terminating signal it does not catch.
        int delivered = MonitorSignals.delivered(ctx.host(), r.pid(), signal);
        // A frozen task dies only once thawed (cgroup v1), and a stopped QEMU stays stopped: runc thaws for SIGKILL.
        if (status == ContainerStatus.PAUSED && (delivered == 9 || delivered == 15)) ResumeOperation.unfreeze(ctx, r);
        if (!ctx.host().signal(r.pid(), delivered)) {
            throw new ContainerStateException(NOT_RUNNING + ": '" + id + "' (process " + r.pid() + " is gone)");
        }
    }
}
