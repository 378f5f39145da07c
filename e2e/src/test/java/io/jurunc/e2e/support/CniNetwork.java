package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A private bridge + host-local CNI network for {@code ctr run --cni}.
 *
 * <p>ctr 1.6 reads the first conflist (sorted by name) in {@code /etc/cni/net.d} and runs plugins from
 * {@code /opt/cni/bin}, and has no flag to change that. So that parallel tests and other users of
 * {@code /etc/cni/net.d} cannot pick each other's network, the conflist lives in a private directory and
 * ctr runs in its own mount namespace with that directory bind-mounted over {@code /etc/cni/net.d}
 * ({@link #wrapForCtr}). The CNI plugins run as ctr's children, so they see the same view.
 *
 * <p>The bridge gets {@code .1} of a free 10.x.y.0/24, containers get addresses from {@code .2} up, with a
 * default route through the bridge. host-local keeps its leases in this network's directory, which is how
 * {@link #containerIp} finds a container's address. {@link #close()} deletes the bridge and the directory.
 */
public final class CniNetwork implements AutoCloseable, RoutedNetwork {

    private static final Path ETC_CNI = Path.of("/etc/cni/net.d");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Host host;
    private final String name;
    private final String bridge;
    private final String prefix;
    private final Path dir;

    private CniNetwork(Host host, String name, String bridge, String prefix, Path dir) {
        this.host = host;
        this.name = name;
        this.bridge = bridge;
        this.prefix = prefix;
        this.dir = dir;
    }

    /** Creates the network's directory and conflist; the bridge itself appears with the first container. */
    public static CniNetwork create(Host host) {
        String suffix = HexFormat.of().formatHex(randomBytes(3));
        String prefix = Subnets.freePrefix(host);
        try {
            Path dir = Files.createTempDirectory("jurunc-e2e-cni-");
            CniNetwork net = new CniNetwork(host, "jurunc-e2e-" + suffix, "jre2e" + suffix, prefix, dir);
            Files.createDirectories(net.confDir());
            Files.writeString(net.confDir().resolve("10-" + net.name + ".conflist"), net.conflist());
            return net;
        } catch (IOException e) {
            throw new HarnessException("cannot write the CNI network's files: " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public String bridge() {
        return bridge;
    }

    public String subnet() {
        return prefix + "0/24";
    }

    public String gateway() {
        return prefix + "1";
    }

    public Path confDir() {
        return dir.resolve("net.d");
    }

    Path leaseDir() {
        return dir.resolve("leases");
    }

    String conflist() {
        return """
                {
                  "cniVersion": "1.0.0",
                  "name": "%s",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "%s",
                      "isGateway": true,
                      "ipMasq": false,
                      "hairpinMode": false,
                      "ipam": {
                        "type": "host-local",
                        "dataDir": "%s",
                        "ranges": [[{"subnet": "%s", "rangeStart": "%s", "gateway": "%s"}]],
                        "routes": [{"dst": "0.0.0.0/0"}]
                      }
                    }
                  ]
                }
                """.formatted(name, bridge, leaseDir(), subnet(), prefix + "2", gateway());
    }

    /** Wraps a ctr argv so that ctr sees only this network in {@code /etc/cni/net.d}. */
    public List<String> wrapForCtr(List<String> ctrArgv) {
        List<String> a = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                "mkdir -p " + ETC_CNI + " && mount --bind \"$1\" " + ETC_CNI + " && shift && exec \"$@\"",
                "sh",
                confDir().toString()));
        a.addAll(ctrArgv);
        return a;
    }

    /**
     * The IPv4 address host-local gave the container, if it holds one. ctr names the CNI container
     * {@code <namespace>-<id>}.
     */
    public Optional<String> containerIp(String namespace, String id) {
        Path leases = leaseDir().resolve(name);
        if (!Files.isDirectory(leases)) {
            return Optional.empty();
        }
        String cniId = namespace + "-" + id;
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(leases, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path f : files) {
                String owner = Files.readString(f, StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElse("")
                        .strip();
                if (owner.equals(cniId)) {
                    return Optional.of(f.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new HarnessException("cannot read host-local leases in " + leases, e);
        }
        return Optional.empty();
    }

    @Override
    public boolean routesViaBridge(String ip) {
        return ip.startsWith(prefix) && Subnets.routesVia(host, ip, bridge);
    }

    /** Leases still held (file names are addresses); empty after every container was torn down. */
    public List<String> heldLeases() {
        Path leases = leaseDir().resolve(name);
        if (!Files.isDirectory(leases)) {
            return List.of();
        }
        try (var s = Files.list(leases)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new HarnessException("cannot list " + leases, e);
        }
    }

    @Override
    public void close() {
        CommandResult show = host.run(Command.of("ip", "link", "show", "dev", bridge));
        if (show.succeeded()) {
            host.run(Command.of("ip", "link", "delete", "dev", bridge)).requireSuccess();
        }
        FileTrees.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "CniNetwork[" + name + ", bridge " + bridge + ", " + subnet() + "]";
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
