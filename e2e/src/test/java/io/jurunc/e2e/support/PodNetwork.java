package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * A network namespace prepared before the container exists, as CRI does for a pod: a bridge on the host
 * with {@code .1} of a free 10.2xx.y.0/24, and a named netns whose {@code eth0} (a veth into the bridge)
 * holds {@code .2} and the default route. A bundle names it by path ({@code ctr run --with-ns
 * network:PATH}). {@link #close()} deletes the netns (and with it the veth) and the bridge.
 */
public final class PodNetwork implements AutoCloseable, RoutedNetwork {

    private final Host host;
    private final String netns;
    private final String bridge;
    private final String prefix;

    private PodNetwork(Host host, String netns, String bridge, String prefix) {
        this.host = host;
        this.netns = netns;
        this.bridge = bridge;
        this.prefix = prefix;
    }

    public static PodNetwork create(Host host) {
        return create(host, Subnets.freePrefix(host));
    }

    /**
     * With a fixed {@code "a.b.c."} /24 (a guest with a built-in address, such as Solo5's {@code test_net} at
     * 10.0.0.2, needs its own); refused when the host already has an address or route in it.
     */
    public static PodNetwork create(Host host, String prefix) {
        if (!Subnets.isFree(host, prefix)) {
            throw new HarnessException("the test subnet " + prefix + "0/24 is in use on this host; a test network"
                    + " must not overlap a real one");
        }
        String hex = HexFormat.of().formatHex(CniNetwork.randomBytes(3));
        PodNetwork pod = new PodNetwork(host, "jurunc-e2e-pod-" + hex, "jre2p" + hex, prefix);
        String veth = "jre2v" + hex;
        try {
            for (List<String> step : List.of(
                    List.of("ip", "link", "add", pod.bridge, "type", "bridge"),
                    List.of("ip", "addr", "add", prefix + "1/24", "dev", pod.bridge),
                    List.of("ip", "link", "set", pod.bridge, "up"),
                    List.of("ip", "netns", "add", pod.netns),
                    List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod.netns),
                    List.of("ip", "link", "set", veth, "master", pod.bridge, "up"),
                    List.of("ip", "-n", pod.netns, "addr", "add", prefix + "2/24", "dev", "eth0"),
                    List.of("ip", "-n", pod.netns, "link", "set", "lo", "up"),
                    List.of("ip", "-n", pod.netns, "link", "set", "eth0", "up"),
                    List.of("ip", "-n", pod.netns, "route", "add", "default", "via", prefix + "1", "dev", "eth0"))) {
                host.run(Command.of(step)).requireSuccess();
            }
            return pod;
        } catch (RuntimeException e) {
            try {
                pod.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    public Path netnsPath() {
        return Path.of("/run/netns", netns);
    }

    /** The address the sandbox's eth0 holds (and the guest takes over). */
    public String ip() {
        return prefix + "2";
    }

    @Override
    public String bridge() {
        return bridge;
    }

    @Override
    public boolean routesViaBridge(String ip) {
        return ip.startsWith(prefix) && Subnets.routesVia(host, ip, bridge);
    }

    /** tun/tap devices in the netns. */
    public List<String> taps() {
        return Ctr.lines(host.run(Command.of("ip", "-n", netns, "-o", "link", "show", "type", "tun"))
                .requireSuccess()
                .stdout());
    }

    @Override
    public void close() {
        Cleanup c = new Cleanup();
        c.defer("delete bridge " + bridge, () -> {
            if (host.run(Command.of("ip", "link", "show", "dev", bridge)).succeeded()) {
                host.run(Command.of("ip", "link", "delete", "dev", bridge)).requireSuccess();
            }
        });
        c.defer("delete netns " + netns, () -> {
            if (host.run(Command.of("ip", "netns", "pids", netns)).succeeded()) {
                host.run(Command.of("ip", "netns", "delete", netns)).requireSuccess();
            }
        });
        c.close();
    }

    @Override
    public String toString() {
        return "PodNetwork[" + netns + ", bridge " + bridge + ", " + prefix + "0/24]";
    }
}
