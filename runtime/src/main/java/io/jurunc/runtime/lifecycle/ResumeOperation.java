package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code resume}: thaws the monitor's cgroup, then QEMU continues over QMP: the reverse of
 * {@link PauseOperation}. Only a paused container can be resumed (runc's text: {@link #NOT_PAUSED}).
 */
public final class ResumeOperation {
    /** runc's error for resuming a container that is not paused. */
    public static final String NOT_PAUSED = "container not paused";

    private final RuntimeContext ctx;

    public ResumeOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public void run(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (status != ContainerStatus.PAUSED) {
            throw new ContainerStateException(NOT_PAUSED + ": '" + id + "' is " + status.ociName());
        }
        unfreeze(ctx, r);
        ctx.store().save(r.withStatus(ContainerStatus.RUNNING));
    }

    /**
     * Thaws and continues a paused monitor without changing the record: also used before a kill, since
     * on cgroup v1 a frozen process only dies once thawed (runc thaws for SIGKILL too).
     */
    static void unfreeze(RuntimeContext ctx, ContainerRecord r) throws JuruncException {
        Optional<SandboxCgroup> cg = SandboxCgroup.of(r, ctx.host());
        if (cg.isPresent() && cg.get().canFreeze()) Freezer.thaw(ctx.host(), cg.get(), r.id());
        Optional<Path> qmp = PauseOperation.socket(ctx, r.id());
        if (qmp.isPresent()) ctx.host().qmp(qmp.get(), "cont");
    }
}
