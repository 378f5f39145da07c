package io.jurunc.shim.task;

import com.google.protobuf.Any;
import io.jurunc.runtime.lifecycle.ContainerStats;
import io.jurunc.shim.proto.cgroups.v2.CPUStat;
import io.jurunc.shim.proto.cgroups.v2.IOEntry;
import io.jurunc.shim.proto.cgroups.v2.IOStat;
import io.jurunc.shim.proto.cgroups.v2.MemoryEvents;
import io.jurunc.shim.proto.cgroups.v2.MemoryStat;
import io.jurunc.shim.proto.cgroups.v2.Metrics;
import io.jurunc.shim.proto.cgroups.v2.PidsStat;
import java.util.Map;
import java.util.TreeMap;

/**
 * runc-shaped stats → containerd's {@code io.containerd.cgroups.v2.Metrics}, packed in an {@link Any}
 * whose type URL is the bare message name, as containerd's typeurl writes it (what {@code ctr task
 * metrics} decodes). Times go back from runc's nanoseconds to the cgroup's microseconds; memory.stat
 * keys map by their v2 names (a v1 host's {@code rss}/{@code cache} become anon/file).
 */
final class CgroupMetrics {
    static final String TYPE_URL = "io.containerd.cgroups.v2.Metrics";

    private CgroupMetrics() {}

    static Any pack(ContainerStats s) {
        return Any.newBuilder()
                .setTypeUrl(TYPE_URL)
                .setValue(metrics(s).toByteString())
                .build();
    }

    static Metrics metrics(ContainerStats s) {
        Metrics.Builder m = Metrics.newBuilder();
        if (s.pids() != null) {
            m.setPids(PidsStat.newBuilder()
                    .setCurrent(s.pids().current())
                    .setLimit(s.pids().limit()));
        }
        if (s.cpu() != null) {
            CPUStat.Builder c = CPUStat.newBuilder();
            if (s.cpu().usage() != null) {
                c.setUsageUsec(s.cpu().usage().total() / 1000)
                        .setUserUsec(s.cpu().usage().user() / 1000)
                        .setSystemUsec(s.cpu().usage().kernel() / 1000);
            }
            if (s.cpu().throttling() != null) {
                c.setNrPeriods(s.cpu().throttling().periods())
                        .setNrThrottled(s.cpu().throttling().throttledPeriods())
                        .setThrottledUsec(s.cpu().throttling().throttledTime() / 1000);
            }
            m.setCpu(c);
        }
        if (s.memory() != null) {
            Map<String, Long> raw = s.memory().raw();
            MemoryStat.Builder b = MemoryStat.newBuilder()
                    .setAnon(raw.getOrDefault("anon", raw.getOrDefault("rss", 0L)))
                    .setFile(raw.getOrDefault(
                            "file", raw.getOrDefault("cache", s.memory().cache())))
                    .setKernelStack(raw.getOrDefault("kernel_stack", 0L))
                    .setSlab(raw.getOrDefault("slab", 0L))
                    .setSock(raw.getOrDefault("sock", 0L))
                    .setShmem(raw.getOrDefault("shmem", 0L))
                    .setFileMapped(raw.getOrDefault("file_mapped", raw.getOrDefault("mapped_file", 0L)))
                    .setFileDirty(raw.getOrDefault("file_dirty", raw.getOrDefault("dirty", 0L)))
                    .setFileWriteback(raw.getOrDefault("file_writeback", raw.getOrDefault("writeback", 0L)))
                    .setInactiveAnon(raw.getOrDefault("inactive_anon", 0L))
                    .setActiveAnon(raw.getOrDefault("active_anon", 0L))
                    .setInactiveFile(raw.getOrDefault("inactive_file", 0L))
                    .setActiveFile(raw.getOrDefault("active_file", 0L))
                    .setUnevictable(raw.getOrDefault("unevictable", 0L))
                    .setPgfault(raw.getOrDefault("pgfault", 0L))
                    .setPgmajfault(raw.getOrDefault("pgmajfault", 0L));
            if (s.memory().usage() != null) {
                b.setUsage(s.memory().usage().usage())
                        .setUsageLimit(s.memory().usage().limit());
            }
            if (s.memory().swap() != null) {
                b.setSwapUsage(s.memory().swap().usage())
                        .setSwapLimit(s.memory().swap().limit());
            }
            m.setMemory(b);
            if (s.memory().usage() != null) {
                m.setMemoryEvents(
                        MemoryEvents.newBuilder().setMax(s.memory().usage().failcnt()));
            }
        }
        if (s.blkio() != null) {
            Map<String, IOEntry.Builder> devices = new TreeMap<>();
            for (ContainerStats.BlkioEntry e : s.blkio().ioServiceBytesRecursive()) {
                IOEntry.Builder d = device(devices, e);
                if (e.op().equalsIgnoreCase("read")) {
                    d.setRbytes(e.value());
                } else if (e.op().equalsIgnoreCase("write")) {
                    d.setWbytes(e.value());
                }
            }
            for (ContainerStats.BlkioEntry e : s.blkio().ioServicedRecursive()) {
                IOEntry.Builder d = device(devices, e);
                if (e.op().equalsIgnoreCase("read")) {
                    d.setRios(e.value());
                } else if (e.op().equalsIgnoreCase("write")) {
                    d.setWios(e.value());
                }
            }
            IOStat.Builder io = IOStat.newBuilder();
            devices.values().forEach(io::addUsage);
            m.setIo(io);
        }
        return m.build();
    }

    private static IOEntry.Builder device(Map<String, IOEntry.Builder> devices, ContainerStats.BlkioEntry e) {
        return devices.computeIfAbsent(
                e.major() + ":" + e.minor(),
                k -> IOEntry.newBuilder().setMajor(e.major()).setMinor(e.minor()));
    }
}
