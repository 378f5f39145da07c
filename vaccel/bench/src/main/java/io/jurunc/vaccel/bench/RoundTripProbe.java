package io.jurunc.vaccel.bench;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.agent.Agent;
import io.jurunc.vaccel.rpc.RpcPlugin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what one noop round trip costs each thread, for profiles that do not depend on the load: an agent and
 * a client in this JVM, {@code N} warm-up calls, then {@code N} counted calls between two marker look-ups
 * ({@code /jurunc-probe-start}, {@code /jurunc-probe-end}: a {@code stat} of a missing path that a syscall
 * trace shows, so {@code strace -f} output can be cut to the counted calls). Prints per thread (name and tid):
 * voluntary and involuntary context switches, CPU µs per call, and the heap bytes all threads allocated per call.
 *
 * <p>Usage: {@code RoundTripProbe [unix|tcp] [N]}; for syscalls per call: {@code strace -f -o FILE java ...
 * RoundTripProbe unix 20000}, then count the lines of each tid between the two markers and divide by N.
 */
public final class RoundTripProbe {
    private RoundTripProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "unix";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        Path dir = Files.createTempDirectory("vaccel-probe");
        try (Vaccel host = Vaccel.bootstrap(VaccelConfig.of("noop"));
                Agent agent = Agent.start(
                        host,
                        List.of(new TtrpcAddress.Unix(dir.resolve("agent.sock")), new TtrpcAddress.Tcp("127.0.0.1", 0)),
                        false)) {
            String address = switch (mode) {
                case "unix" -> "unix://" + dir.resolve("agent.sock");
                case "tcp" ->
                    "tcp://127.0.0.1:"
                            + ((InetSocketAddress) agent.localAddresses().get(1)).getPort();
                default -> throw new IllegalArgumentException("mode unix or tcp, not " + mode);
            };
            try (Vaccel client = Vaccel.bootstrap(
                            VaccelConfig.of("rpc").withEnv(Map.of("VACCEL_RPC_ADDRESS", address)),
                            List.of(new RpcPlugin()));
                    Session s = client.createSession(PluginType.DEBUG)) {
                Runnable call = () -> s.exec("/bench/none.so", "none", List.of(), List.of());
                for (int i = 0; i < n; i++) {
                    call.run();
                }
                var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                Map<String, long[]> before = threads();
                long allocated = mx.getTotalThreadAllocatedBytes();
                Files.exists(Path.of("/jurunc-probe-start"));
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    call.run();
                }
                long wall = System.nanoTime() - t0;
                Files.exists(Path.of("/jurunc-probe-end"));
                long allocatedPerCall = (mx.getTotalThreadAllocatedBytes() - allocated) / n;
                Map<String, long[]> after = threads();
                System.out.printf(
                        Locale.ROOT,
                        "mode %s, %d calls, mean %.1f us, heap allocated %d B/call, load %s%n",
                        mode,
                        n,
                        wall / 1000.0 / n,
                        allocatedPerCall,
                        Files.readString(Path.of("/proc/loadavg")).trim());
                System.out.printf(
                        Locale.ROOT,
                        "%-8s %-24s %10s %10s %10s%n",
                        "tid",
                        "thread",
                        "vol cs/call",
                        "invol/call",
                        "cpu us/call");
                for (var e : after.entrySet()) {
                    long[] b = before.getOrDefault(e.getKey(), new long[3]);
                    long[] a = e.getValue();
                    double cpu = (a[0] - b[0]) / 1000.0 / n;
                    if (cpu < 0.05) {
                        continue;
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-8s %-24s %10.2f %10.2f %10.2f%n",
                            e.getKey().substring(0, e.getKey().indexOf(' ')),
                            e.getKey().substring(e.getKey().indexOf(' ') + 1),
                            (double) (a[1] - b[1]) / n,
                            (double) (a[2] - b[2]) / n,
                            cpu);
                }
            }
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** "tid name" of each thread of this JVM: CPU ns, voluntary and involuntary context switches. */
    private static Map<String, long[]> threads() throws IOException {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    long cpu = Long.parseLong(
                            Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    Map<String, Long> status = new HashMap<>();
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.contains("ctxt_switches")) {
                            String[] kv = line.split(":\\s+");
                            status.put(kv[0], Long.parseLong(kv[1].trim()));
                        }
                    }
                    out.put(t.getFileName() + " " + name, new long[] {
                        cpu,
                        status.getOrDefault("voluntary_ctxt_switches", 0L),
                        status.getOrDefault("nonvoluntary_ctxt_switches", 0L)
                    });
                } catch (IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        }
        return out;
    }
}
