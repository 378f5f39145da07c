package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code update}: applies to the monitor's cgroup what can change under a running VM, and refuses the
 * rest before writing anything (all or nothing):
 *
 * <ul>
 *   <li>applied: CPU quota/period (cpu.max, or cfs_quota_us/cfs_period_us), CPU shares (v2: cpu.weight
 *       with runc's conversion), the memory limit of the monitor's cgroup when it is at least the current
 *       usage and the guest's RAM (which is fixed at boot: a lower cap would OOM-kill the VM), the memory
 *       reservation (memory.low / soft_limit_in_bytes), the pids limit;
 *   <li>refused ({@link VmUnsupportedException}): the CPU set (it fixed the vCPU count at boot), extra
 *       swap, kernel memory, realtime CPU, block I/O weights and the other LinuxResources members.
 * </ul>
 */
public final class UpdateOperation {
    private final RuntimeContext ctx;

    public UpdateOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** @return the cgroup files written, in order, with their values */
    public Map<Path, String> run(String id, ResourceUpdate u) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (!status.isAlive()) {
            throw new ContainerStateException(KillOperation.NOT_RUNNING + ": '" + id + "' is " + status.ociName());
        }
        if (u.isEmpty()) return Map.of();
        refuseFixed(id, r, u);
        Optional<SandboxCgroup> found = SandboxCgroup.of(r, ctx.host());
        if (found.isEmpty()) {
            throw new VmUnsupportedException(
                    "cannot update '" + id + "': it has no cgroup (its spec named no " + "linux.cgroupsPath)");
        }
        SandboxCgroup cg = found.get();
        Map<Path, String> writes = new LinkedHashMap<>();
        plan(id, r, cg, u, writes);
        for (Map.Entry<Path, String> w : writes.entrySet()) ctx.host().writeControl(w.getKey(), w.getValue());
        return writes;
    }

    private static void refuseFixed(String id, ContainerRecord r, ResourceUpdate u) throws VmUnsupportedException {
        List<String> refused = new ArrayList<>();
        if (u.cpusetCpus().isPresent()) refused.add("cpu.cpus (the CPU set fixed the VM's vCPU count at boot)");
        if (u.cpusetMems().isPresent()) refused.add("cpu.mems");
        if (u.memoryKernel().isPresent()) refused.add("memory.kernel");
        if (u.memoryKernelTcp().isPresent()) refused.add("memory.kernelTCP");
        if (u.cpuRealtimeRuntime().isPresent() || u.cpuRealtimePeriod().isPresent()) refused.add("cpu realtime");
        if (u.blkioWeight().isPresent()) refused.add("blockIO.weight");
        if (u.memorySwap().isPresent()) {
            long swap = u.memorySwap().getAsLong();
            boolean noExtraSwap = swap == -1
                    || (u.memoryLimit().isPresent() && swap == u.memoryLimit().getAsLong());
            if (!noExtraSwap) refused.add("memory.swap (a VM's monitor gets no swap beyond its memory limit)");
        }
        refused.addAll(u.unsupported());
        if (!refused.isEmpty()) {
            throw new VmUnsupportedException("cannot update '" + id + "': not changeable for a microVM: "
                    + String.join(", ", refused) + " (guest RAM and vCPUs are fixed at boot; recreate the container)");
        }
    }

    private void plan(String id, ContainerRecord r, SandboxCgroup cg, ResourceUpdate u, Map<Path, String> writes)
            throws JuruncException {
        if (u.cpuQuota().isPresent() || u.cpuPeriod().isPresent()) {
            long quota = u.cpuQuota().orElse(0);
            long period = u.cpuPeriod().orElse(0);
            if (quota != 0 && quota != -1 && quota < 1000) throw invalid(id, "cpu.quota must be -1 or >= 1000 us");
            if (period != 0 && (period < 1000 || period > 1_000_000))
                throw invalid(id, "cpu.period must be 1000..1000000 us");
            if (cg.v2()) {
                String[] now = cg.read(ctx.host(), "cpu", "cpu.max")
                        .orElse("max 100000")
                        .strip()
                        .split("\\s+");
                String q =
                        u.cpuQuota().isPresent() ? (quota == -1 || quota == 0 ? "max" : Long.toString(quota)) : now[0];
                String p = period != 0 ? Long.toString(period) : now.length > 1 ? now[1] : "100000";
                writes.put(need(cg, id, "cpu", "cpu.max"), q + " " + p);
            } else {
                if (period != 0) writes.put(need(cg, id, "cpu", "cpu.cfs_period_us"), Long.toString(period));
                if (u.cpuQuota().isPresent()) {
                    writes.put(need(cg, id, "cpu", "cpu.cfs_quota_us"), Long.toString(quota == 0 ? -1 : quota));
                }
            }
        }
        if (u.cpuShares().isPresent() && u.cpuShares().getAsLong() != 0) {
            long shares = u.cpuShares().getAsLong();
            if (shares < 2 || shares > 262_144) throw invalid(id, "cpu.shares must be 2..262144");
            if (cg.v2()) {
                writes.put(need(cg, id, "cpu", "cpu.weight"), Long.toString(1 + ((shares - 2) * 9999) / 262_142));
            } else {
                writes.put(need(cg, id, "cpu", "cpu.shares"), Long.toString(shares));
            }
        }
        if (u.memoryLimit().isPresent() && u.memoryLimit().getAsLong() != 0) {
            long limit = u.memoryLimit().getAsLong();
            if (limit != -1) {
                if (limit < 0) throw invalid(id, "memory.limit must be -1 or positive");
                long guestRam = r.plan() == null ? 0 : r.plan().memoryBytes();
                if (limit < guestRam) {
                    throw new VmUnsupportedException(
                            "cannot update '" + id + "': memory limit " + limit + " is below the " + "guest's RAM ("
                                    + guestRam + " bytes, fixed at boot); the VM would be OOM-killed");
                }
                long usage = usage(cg);
                if (limit < usage) {
                    throw new ContainerStateException("cannot update '" + id + "': memory limit " + limit
                            + " is below the current usage (" + usage + " bytes)");
                }
            }
            if (cg.v2()) {
                writes.put(need(cg, id, "memory", "memory.max"), limit == -1 ? "max" : Long.toString(limit));
            } else {
                writes.put(need(cg, id, "memory", "memory.limit_in_bytes"), Long.toString(limit));
            }
        }
        if (u.memoryReservation().isPresent() && u.memoryReservation().getAsLong() != 0) {
            long res = u.memoryReservation().getAsLong();
            if (cg.v2()) {
                writes.put(need(cg, id, "memory", "memory.low"), res == -1 ? "max" : Long.toString(res));
            } else {
                writes.put(need(cg, id, "memory", "memory.soft_limit_in_bytes"), Long.toString(res));
            }
        }
        OptionalLong pids = u.pidsLimit();
        if (pids.isPresent()) {
            long p = pids.getAsLong();
            writes.put(need(cg, id, "pids", "pids.max"), p <= 0 ? "max" : Long.toString(p));
        }
    }

    private long usage(SandboxCgroup cg) throws JuruncException {
        String file = cg.v2() ? "memory.current" : "memory.usage_in_bytes";
        String v = cg.read(ctx.host(), "memory", file).orElse("0").strip();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Path need(SandboxCgroup cg, String id, String controller, String file)
            throws VmUnsupportedException {
        return cg.file(controller, file)
                .orElseThrow(() -> new VmUnsupportedException(
                        "cannot update '" + id + "': its cgroup has no " + controller + " controller"));
    }

    private static InvalidResourcesException invalid(String id, String what) {
        return new InvalidResourcesException("cannot update '" + id + "': " + what);
    }
}
