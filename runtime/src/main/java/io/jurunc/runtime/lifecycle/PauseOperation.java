package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code pause}: QEMU stops its vCPUs over QMP (where the monitor has a QMP socket), then the cgroup
 * freezer freezes the monitor's cgroup (where the container has one); at least one of the two must
 * be there. The record says {@code paused} until {@code resume}. Only a running container can be
 * paused; runc's text for anything else is {@link KillOperation#NOT_RUNNING}.
 */
public final class PauseOperation {
    private final RuntimeContext ctx;

    public PauseOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** How the VM was paused (for the log and the tests). */
    public record Paused(boolean qmp, boolean freezer) {}

    public Paused run(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (status != ContainerStatus.RUNNING) {
            throw new ContainerStateException(KillOperation.NOT_RUNNING + ": '" + id + "' is " + status.ociName());
        }
        Optional<SandboxCgroup> cg = SandboxCgroup.of(r, ctx.host());
        Optional<Path> qmp = socket(ctx, id);
        boolean freezer = cg.isPresent() && cg.get().canFreeze();
        if (qmp.isEmpty() && !freezer) {
            throw new VmUnsupportedException("cannot pause '" + id + "': its monitor has no QMP socket and it has no "
                    + "freezer cgroup (give the spec a linux.cgroupsPath, or use QEMU)");
        }
        if (qmp.isPresent()) ctx.host().qmp(qmp.get(), "stop");
        if (freezer) {
            try {
                Freezer.freeze(ctx.host(), cg.get(), id);
            } catch (JuruncException e) {
                if (qmp.isPresent()) resumeQuietly(qmp.get(), e);
                throw e;
            }
        }
        ctx.store().save(r.withStatus(ContainerStatus.PAUSED));
        return new Paused(qmp.isPresent(), freezer);
    }

    private void resumeQuietly(Path qmp, Exception failure) {
        try {
            ctx.host().qmp(qmp, "cont");
        } catch (JuruncException e) {
            failure.addSuppressed(e);
        }
    }

    /** The monitor's QMP socket, if it made one. */
    static Optional<Path> socket(RuntimeContext ctx, String id) throws JuruncException {
        Path s = QmpSocket.path(ctx.store().dir(CreateOperation.parseId(id)));
        return ctx.host().exists(s) ? Optional.of(s) : Optional.empty();
    }
}
