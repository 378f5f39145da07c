package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link ContainerStats} from the monitor's cgroup, converting as runc's cgroup managers do:
 * v2 {@code cpu.stat} microseconds become nanoseconds, {@code max} becomes "no limit", v2's swap is
 * reported as memory + swap; v1 {@code cpuacct.stat} ticks (USER_HZ 100) become nanoseconds. A file
 * that is missing (controller not there) reads as zero.
 */
final class CgroupStatsReader {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Host host;
    private final SandboxCgroup cg;

    CgroupStatsReader(Host host, SandboxCgroup cg) {
        this.host = host;
        this.cg = cg;
    }

    ContainerStats read() throws HostException {
        return cg.v2() ? readV2() : readV1();
    }

    private ContainerStats readV2() throws HostException {
        String c = SandboxCgroup.V2;
        Map<String, Long> cpu = keyed(c, "cpu.stat");
        var usage = new ContainerStats.CpuUsage(
                cpu.getOrDefault("usage_usec", 0L) * 1000,
                List.of(),
                cpu.getOrDefault("system_usec", 0L) * 1000,
                cpu.getOrDefault("user_usec", 0L) * 1000);
        var throttling = new ContainerStats.Throttling(
                cpu.getOrDefault("nr_periods", 0L),
                cpu.getOrDefault("nr_throttled", 0L),
                cpu.getOrDefault("throttled_usec", 0L) * 1000);
        Map<String, Long> raw = keyed(c, "memory.stat");
        long current = number(c, "memory.current");
        Map<String, Long> events = keyed(c, "memory.events");
        var mem = new ContainerStats.MemoryEntry(
                number(c, "memory.max"), current, number(c, "memory.peak"), events.getOrDefault("max", 0L));
        long swapLimit = number(c, "memory.swap.max");
        var swap = new ContainerStats.MemoryEntry(
                swapLimit == ContainerStats.UNLIMITED ? swapLimit : saturatedAdd(swapLimit, mem.limit()),
                current + number(c, "memory.swap.current"),
                0,
                0);
        var memory = new ContainerStats.Memory(raw.getOrDefault("file", 0L), mem, swap, raw);
        long pidsMax = number(c, "pids.max");
        var pids =
                new ContainerStats.Pids(number(c, "pids.current"), pidsMax == ContainerStats.UNLIMITED ? 0 : pidsMax);
        List<ContainerStats.BlkioEntry> bytes = new ArrayList<>();
        List<ContainerStats.BlkioEntry> ios = new ArrayList<>();
        for (String line : cg.read(host, c, "io.stat").orElse("").lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) continue;
            String[] dev = f[0].split(":");
            long major = parse(dev[0]);
            long minor = parse(dev[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) continue;
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new ContainerStats.BlkioEntry(major, minor, "Read", parse(kv[1])));
                    case "wbytes" -> bytes.add(new ContainerStats.BlkioEntry(major, minor, "Write", parse(kv[1])));
                    case "rios" -> ios.add(new ContainerStats.BlkioEntry(major, minor, "Read", parse(kv[1])));
                    case "wios" -> ios.add(new ContainerStats.BlkioEntry(major, minor, "Write", parse(kv[1])));
                    default -> {}
                }
            }
        }
        return new ContainerStats(
                new ContainerStats.Cpu(usage, throttling), memory, pids, new ContainerStats.Blkio(bytes, ios));
    }

    private ContainerStats readV1() throws HostException {
        Map<String, Long> ticks = keyed("cpuacct", "cpuacct.stat");
        List<Long> percpu = new ArrayList<>();
        for (String v : cg.read(host, "cpuacct", "cpuacct.usage_percpu")
                .orElse("")
                .strip()
                .split("\\s+")) {
            if (!v.isEmpty()) percpu.add(parse(v));
        }
        var usage = new ContainerStats.CpuUsage(
                number("cpuacct", "cpuacct.usage"),
                percpu,
                ticks.getOrDefault("system", 0L) * NANOS_PER_TICK,
                ticks.getOrDefault("user", 0L) * NANOS_PER_TICK);
        Map<String, Long> cpu = keyed("cpu", "cpu.stat");
        var throttling = new ContainerStats.Throttling(
                cpu.getOrDefault("nr_periods", 0L),
                cpu.getOrDefault("nr_throttled", 0L),
                cpu.getOrDefault("throttled_time", 0L));
        String m = "memory";
        Map<String, Long> raw = keyed(m, "memory.stat");
        var mem = new ContainerStats.MemoryEntry(
                number(m, "memory.limit_in_bytes"),
                number(m, "memory.usage_in_bytes"),
                number(m, "memory.max_usage_in_bytes"),
                number(m, "memory.failcnt"));
        var swap = new ContainerStats.MemoryEntry(
                number(m, "memory.memsw.limit_in_bytes"),
                number(m, "memory.memsw.usage_in_bytes"),
                number(m, "memory.memsw.max_usage_in_bytes"),
                number(m, "memory.memsw.failcnt"));
        var memory = new ContainerStats.Memory(raw.getOrDefault("cache", 0L), mem, swap, raw);
        long pidsMax = number("pids", "pids.max");
        var pids = new ContainerStats.Pids(
                number("pids", "pids.current"), pidsMax == ContainerStats.UNLIMITED ? 0 : pidsMax);
        List<ContainerStats.BlkioEntry> bytes = blkio("blkio.io_service_bytes_recursive");
        List<ContainerStats.BlkioEntry> ios = blkio("blkio.io_serviced_recursive");
        if (bytes.isEmpty() && ios.isEmpty()) { // no CFQ: the throttle counters (as runc)
            bytes = blkio("blkio.throttle.io_service_bytes_recursive");
            ios = blkio("blkio.throttle.io_serviced_recursive");
        }
        return new ContainerStats(
                new ContainerStats.Cpu(usage, throttling), memory, pids, new ContainerStats.Blkio(bytes, ios));
    }

    /** "MAJ:MIN Op value" lines; the "Total" line is left out. */
    private List<ContainerStats.BlkioEntry> blkio(String file) throws HostException {
        List<ContainerStats.BlkioEntry> out = new ArrayList<>();
        for (String line : cg.read(host, "blkio", file).orElse("").lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3 || !f[0].contains(":")) continue;
            String[] dev = f[0].split(":");
            out.add(new ContainerStats.BlkioEntry(parse(dev[0]), parse(dev[1]), f[1], parse(f[2])));
        }
        return out;
    }

    /** A single-number file; {@code max} is "no limit"; missing is 0. */
    private long number(String controller, String file) throws HostException {
        Optional<String> s = cg.read(host, controller, file);
        if (s.isEmpty()) return 0;
        String v = s.get().strip();
        return v.equals("max") ? ContainerStats.UNLIMITED : parse(v);
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events, cpuacct.stat). */
    private Map<String, Long> keyed(String controller, String file) throws HostException {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : cg.read(host, controller, file).orElse("").lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2) m.put(f[0], parse(f[1]));
        }
        return m;
    }

    /** Unsigned decimal; what does not fit a long is "no limit". */
    private static long parse(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            if (v.matches("[0-9]+")) return ContainerStats.UNLIMITED;
            return 0;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 || s < 0 ? ContainerStats.UNLIMITED : s;
    }
}
