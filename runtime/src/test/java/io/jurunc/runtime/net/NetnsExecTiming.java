package io.jurunc.runtime.net;

import io.jurunc.runtime.sys.Syscalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark (not a test), as root: how long does one iproute2 command inside a netns take when
 * started (a) from a thread that did setns, (b) through {@code nsenter --net=PATH}; and how long a
 * full {@link ContainerNetwork} setup and teardown take. Usage: see docs/network.md.
 */
public final class NetnsExecTiming {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String name = "jrbench" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", name);
        try {
            sh(
                    "ip",
                    "netns",
                    "exec",
                    name,
                    "sh",
                    "-c",
                    "ip link add eth0 type veth peer name peer0 && ip addr add 10.213.250.2/24 dev eth0"
                            + " && ip link set eth0 up && ip link set peer0 up && ip route add default via 10.213.250.1");
            NetnsRef ns = NetnsRef.of("/var/run/netns/" + name);
            // first: cold, as in a fresh `jurunc create`. Jackson is started separately because create
            // has already paid for it (config.json) when it sets up the network.
            long j0 = System.nanoTime();
            io.jurunc.oci.Json.mapper().readTree("[{\"a\":1}]");
            long j1 = System.nanoTime();
            System.out.printf("cold: Jackson first use %.1f ms%n", (j1 - j0) / 1e6);
            long c0 = System.nanoTime();
            ContainerNetwork cold = ContainerNetwork.system();
            cold.setup(ns, "cold").orElseThrow();
            long c1 = System.nanoTime();
            cold.teardown(ns, "cold");
            long c2 = System.nanoTime();
            System.out.printf(
                    "cold (first in this JVM, FFM binding and class loading included): setup %.1f ms, teardown %.1f ms%n",
                    (c1 - c0) / 1e6, (c2 - c1) / 1e6);
            SetnsCommandRunner setns = new SetnsCommandRunner(Syscalls.linux());
            List<String> argv = List.of("ip", "-j", "link", "show");
            List<Long> a = new ArrayList<>();
            List<Long> b = new ArrayList<>();
            for (int i = 0; i < rounds + 10; i++) {
                long t0 = System.nanoTime();
                setns.run(ns, argv, null);
                long t1 = System.nanoTime();
                sh("nsenter", "--net=" + ns.path(), "ip", "-j", "link", "show");
                long t2 = System.nanoTime();
                if (i >= 10) {
                    a.add(t1 - t0);
                    b.add(t2 - t1);
                }
            }
            System.out.printf(
                    "one 'ip -j link show', %d rounds: setns-thread median %.2f ms p90 %.2f ms;"
                            + " nsenter median %.2f ms p90 %.2f ms%n",
                    rounds, ms(a, 50), ms(a, 90), ms(b, 50), ms(b, 90));

            ContainerNetwork net = ContainerNetwork.system();
            List<Long> setup = new ArrayList<>();
            List<Long> teardown = new ArrayList<>();
            for (int i = 0; i < rounds / 4 + 3; i++) {
                long t0 = System.nanoTime();
                net.setup(ns, "bench").orElseThrow();
                long t1 = System.nanoTime();
                net.teardown(ns, "bench");
                long t2 = System.nanoTime();
                if (i >= 3) {
                    setup.add(t1 - t0);
                    teardown.add(t2 - t1);
                }
            }
            stepTimes(ns);
            System.out.printf(
                    "full setup (rtnetlink), %d rounds: median %.2f ms p90 %.2f ms; teardown median"
                            + " %.2f ms p90 %.2f ms%n",
                    setup.size(), ms(setup, 50), ms(setup, 90), ms(teardown, 50), ms(teardown, 90));
            // the same operations through ip/tc processes, interleaved with rtnetlink rounds (same load)
            ContainerNetwork iproute2 =
                    new ContainerNetwork(new IpRoute2NetTool(Syscalls.linux()), new FfmTunTap(Syscalls.linux()));
            List<Long> nl = new ArrayList<>();
            List<Long> ip = new ArrayList<>();
            for (int i = 0; i < rounds / 4 + 3; i++) {
                long t0 = System.nanoTime();
                net.setup(ns, "ab").orElseThrow();
                net.teardown(ns, "ab");
                long t1 = System.nanoTime();
                iproute2.setup(ns, "ab").orElseThrow();
                iproute2.teardown(ns, "ab");
                long t2 = System.nanoTime();
                if (i >= 3) {
                    nl.add(t1 - t0);
                    ip.add(t2 - t1);
                }
            }
            System.out.printf(
                    "setup+teardown, %d interleaved rounds: rtnetlink median %.2f ms, ip/tc processes"
                            + " median %.2f ms (ratio %.2f)%n",
                    nl.size(), ms(nl, 50), ms(ip, 50), ms(nl, 50) / ms(ip, 50));
        } finally {
            sh("ip", "netns", "del", name);
        }
    }

    /** One setup and teardown with each NetTool call and the tap creation timed. */
    private static void stepTimes(NetnsRef ns) throws Exception {
        NetTool real = new NetlinkNetTool(new NetlinkSessions(Syscalls.linux()));
        TunTap tun = new FfmTunTap(Syscalls.linux());
        StringBuilder log = new StringBuilder();
        NetTool timed = (NetTool) java.lang.reflect.Proxy.newProxyInstance(
                NetTool.class.getClassLoader(), new Class<?>[] {NetTool.class}, (proxy, m, a) -> {
                    long t0 = System.nanoTime();
                    try {
                        return m.invoke(real, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        log.append(String.format(" %s=%.1f", m.getName(), (System.nanoTime() - t0) / 1e6));
                    }
                });
        TunTap timedTun = (n, name, owner) -> {
            long t0 = System.nanoTime();
            tun.createTap(n, name, owner);
            log.append(String.format(" createTap=%.1f", (System.nanoTime() - t0) / 1e6));
        };
        ContainerNetwork net = new ContainerNetwork(timed, timedTun);
        for (int i = 0; i < 3; i++) {
            log.setLength(0);
            net.setup(ns, "steps").orElseThrow();
            log.append(" |");
            net.teardown(ns, "steps");
            System.out.println("steps (ms):" + log);
        }
    }

    private static double ms(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
    }

    private static void sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + ": " + new String(out));
        }
    }
}
