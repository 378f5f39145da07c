package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.util.Optional;

/**
 * {@code events --stats} and the shim's {@code Stats}: the monitor's cgroup usage (the whole VM: guest
 * RAM, vCPU time, disk I/O of its images). A container without a cgroup (its spec named no
 * {@code linux.cgroupsPath}) has no stats, which is an error, as is a stopped one (runc's text).
 */
public final class StatsQuery {
    private final RuntimeContext ctx;

    public StatsQuery(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    public ContainerStats run(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (!status.isAlive()) {
            throw new ContainerStateException("container with id " + id + " is not running");
        }
        Optional<SandboxCgroup> cg = SandboxCgroup.of(r, ctx.host());
        if (cg.isEmpty()) {
            throw new VmUnsupportedException("container '" + id
                    + "' has no cgroup to read stats from (its spec named no " + "linux.cgroupsPath)");
        }
        return new CgroupStatsReader(ctx.host(), cg.get()).read();
    }
}
