package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A named network namespace shaped like one CNI prepares ({@code eth0} holding an address and the
 * default route), for bundles whose config.json names a netns path. Its veth peer stays inside the same
 * namespace, so nothing it carries can leave it. {@link #close()} deletes it.
 */
public final class TestNetns implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Host host;
    private final String name;

    private TestNetns(Host host, String name) {
        this.host = host;
        this.name = name;
    }

    public static TestNetns create(Host host) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        String name = "jurunc-e2e-" + HexFormat.of().formatHex(b);
        String prefix = "10.254." + Math.floorMod(b[0], 256) + ".";
        host.run(Command.of("ip", "netns", "add", name)).requireSuccess();
        TestNetns ns = new TestNetns(host, name);
        try {
            for (List<String> step : List.of(
                    List.of("link", "add", "eth0", "type", "veth", "peer", "name", "peer0"),
                    List.of("addr", "add", prefix + "2/24", "dev", "eth0"),
                    List.of("link", "set", "lo", "up"),
                    List.of("link", "set", "peer0", "up"),
                    List.of("link", "set", "eth0", "up"),
                    List.of("route", "add", "default", "via", prefix + "1", "dev", "eth0"))) {
                ns.ip(step).requireSuccess();
            }
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** tun/tap devices in the namespace. */
    public List<String> taps() {
        return Ctr.lines(ip(List.of("-o", "link", "show", "type", "tun"))
                .requireSuccess()
                .stdout());
    }

    /** Interfaces other than the ones this class made (lo, eth0, peer0). */
    public List<String> extraLinks() {
        return Ctr.lines(ip(List.of("-o", "link", "show")).requireSuccess().stdout()).stream()
                .map(l -> l.split(":")[1].strip().split("@")[0])
                .filter(n -> !List.of("lo", "eth0", "peer0").contains(n))
                .toList();
    }

    /** {@code tc qdisc show dev eth0} (an ingress qdisc here means a redirect was left behind). */
    public String eth0Qdiscs() {
        return host.run(Command.of("tc", "-n", name, "qdisc", "show", "dev", "eth0"))
                .requireSuccess()
                .stdout();
    }

    private CommandResult ip(List<String> args) {
        List<String> a = new java.util.ArrayList<>(List.of("ip", "-n", name));
        a.addAll(args);
        return host.run(Command.of(a));
    }

    @Override
    public void close() {
        host.run(Command.of("ip", "netns", "delete", name)).requireSuccess();
    }

    @Override
    public String toString() {
        return "TestNetns[" + name + "]";
    }
}
