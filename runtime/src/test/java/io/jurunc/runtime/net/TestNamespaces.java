package io.jurunc.runtime.net;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test-owned network namespaces, for tests that run as root. Each {@link #pair} is a "container"
 * namespace whose {@code eth0} (10.213.N.2/24, MTU 1400, default route via .1) is a veth to a
 * "host" namespace holding 10.213.N.1 (optionally on a bridge). No traffic can leave them. {@link #close()} deletes every
 * namespace (and with it every link and tap inside) and kills the processes started here.
 */
final class TestNamespaces implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun");
    }

    /** A container namespace and its host-side peer. */
    record Pair(String container, String host, int subnet) {
        NetnsRef ref() {
            return NetnsRef.of("/var/run/netns/" + container);
        }

        String containerIp() {
            return "10.213." + subnet + ".2";
        }

        String hostIp() {
            return "10.213." + subnet + ".1";
        }
    }

    Pair pair(int subnet) throws IOException {
        return pair(subnet, false);
    }

    /**
     * Like {@link #pair(int)}; with {@code bridged} the host side is laid out like CNI's bridge
     * plugin: the veth is a port of bridge {@code br0}, which holds 10.213.N.1.
     */
    Pair pair(int subnet, boolean bridged) throws IOException {
        String suffix = HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextInt())
                .substring(2);
        String container = add("jrnc-" + suffix);
        String host = add("jrnh-" + suffix);
        ip(
                container, "link", "add", "eth0", "mtu", "1400", "type", "veth", "peer", "name", "veth0", "mtu", "1400",
                "netns", host);
        ip(container, "addr", "add", "10.213." + subnet + ".2/24", "dev", "eth0");
        ip(container, "link", "set", "lo", "up");
        ip(container, "link", "set", "eth0", "up");
        ip(container, "route", "add", "default", "via", "10.213." + subnet + ".1");
        String hostDev = "veth0";
        if (bridged) {
            hostDev = "br0";
            ip(host, "link", "add", "br0", "type", "bridge");
            ip(host, "link", "set", "veth0", "master", "br0");
            ip(host, "link", "set", "br0", "up");
        }
        ip(host, "addr", "add", "10.213." + subnet + ".1/24", "dev", hostDev);
        ip(host, "link", "set", "lo", "up");
        ip(host, "link", "set", "veth0", "up");
        return new Pair(container, host, subnet);
    }

    /** An empty namespace (only lo, down). */
    String add(String name) throws IOException {
        run("ip", "netns", "add", name);
        names.add(name);
        return name;
    }

    void delete(String name) throws IOException {
        run("ip", "netns", "del", name);
        names.remove(name);
    }

    /** Starts a process inside the namespace; killed by {@link #close()}. */
    Process startIn(String netns, String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        command.addAll(List.of(argv));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    static String ip(String netns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", netns));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    static String tc(String netns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("tc", "-n", netns));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    static JsonNode json(String text) throws IOException {
        return Json.mapper().readTree(text);
    }

    static String run(String... argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", argv) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : List.copyOf(names)) {
            try {
                delete(name);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
