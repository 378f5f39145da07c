package io.jurunc.e2e.clients;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Jurunc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Debian's Podman 4.3 with {@code --runtime <jurunc>} (conmon drives create/start/state/kill/delete/exec
 * as with runc). Storage ({@code --root}), run root, libpod's tmp dir, the CNI network config dir and a
 * containers.conf ({@code CONTAINERS_CONF}) are private to the class under a temp dir. The containers.conf
 * sets {@code default_ulimits = []}: podman's default {@code nproc} rlimits make runc fail on this machine
 * (that is the test set-up's business, not the runtime's); the {@code k8s-file} log driver, because there is
 * no journald here; cgroupfs, no systemd. The images are {@code e2e/images/echo} (microVM) and
 * {@code e2e/images/plain} (handed to runc), built by {@code jurunc build} as docker archives and
 * {@code podman load}ed.
 *
 * <p>Publishing a port: the test writes its own CNI conflist into the private network config dir: a bridge
 * with a unique name on a free 10.2xx.y.0/24, {@code ipMasq: false}, host-local leases under the temp dir,
 * and the portmap plugin. Podman prepares the netns before {@code create} and names it in config.json, so
 * jurunc finds the address there. A port published on 127.0.0.1 is a DNAT rule of portmap's (with
 * {@code route_localnet} on the test bridge and a masquerade only of marked loopback-to-bridge packets);
 * portmap removes its per-container rules on teardown but never its base chains, so the test removes the
 * CNI rules and chains that were not there before it began. The tests themselves are
 * {@link ClientContract}'s.
 */
@E2E
class PodmanClientTest extends ClientContract {
    static final Cleanup CLEANUP = new Cleanup();
    static Path work;
    static String network;
    static String bridge;

    @BeforeAll
    static void setUp() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            throw new HarnessException("no /usr/bin/podman: run scripts/install-deps.sh (package podman)");
        }
        // podman refuses a run root longer than 50 characters: a short prefix
        work = Files.createTempDirectory("jurunc-pm-");
        Set<String> iptablesBefore = ClientHost.cniIptables(HOST);
        CLEANUP.defer("unmount and delete " + work, () -> ClientHost.unmountAndDelete(HOST, work));
        CLEANUP.defer(
                "CNI iptables rules and chains the test created",
                () -> ClientHost.removeNewCniIptables(HOST, iptablesBefore));
        network = "jrclients" + ClientHost.randomHex(3);
        bridge = "jrpd" + ClientHost.randomHex(4);
        CLEANUP.defer("bridge " + bridge, () -> {
            if (HOST.run(Command.of("ip", "link", "show", bridge)).succeeded()) {
                HOST.run(Command.of("ip", "link", "delete", bridge)).requireSuccess();
            }
        });
        CLEANUP.defer("processes naming " + work, () -> ClientHost.killProcessesNaming(work));
        CLEANUP.defer("podman storage of the test", () -> podman("system", "reset", "--force"));
        CLEANUP.defer("remove every container", () -> podman("rm", "--all", "--force", "--time", "0"));
        Files.writeString(work.resolve("containers.conf"), """
                [containers]
                default_ulimits = []
                log_driver = "k8s-file"
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "none"
                """);
        String prefix = ClientHost.freePrefix(HOST);
        Path netDir = Files.createDirectories(work.resolve("networks"));
        Files.writeString(netDir.resolve(network + ".conflist"), """
                {
                  "cniVersion": "0.4.0",
                  "name": "%s",
                  "plugins": [
                    {
                      "type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                      "ipam": {
                        "type": "host-local", "dataDir": "%s",
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "ranges": [[{"subnet": "%s0/24", "gateway": "%s1"}]]
                      }
                    },
                    {"type": "portmap", "capabilities": {"portMappings": true}}
                  ]
                }
                """.formatted(
                        network, bridge, work.resolve("cni-leases"), prefix, prefix));
        for (String name : List.of("echo", "plain")) {
            podman("load", "-i", ClientHost.dockerArchive(HOST, name, work).toString())
                    .requireSuccess();
        }
    }

    @AfterAll
    static void tearDown() {
        CLEANUP.close();
    }

    static CommandResult podman(String... args) {
        List<String> argv = new ArrayList<>(List.of(
                "/usr/bin/podman",
                "--root",
                work.resolve("storage").toString(),
                "--runroot",
                work.resolve("run").toString(),
                "--tmpdir",
                work.resolve("libpod").toString(),
                "--network-config-dir",
                work.resolve("networks").toString(),
                "--runtime",
                Jurunc.cli().toAbsolutePath().toString(),
                "--cgroup-manager",
                "cgroupfs"));
        argv.addAll(List.of(args));
        return HOST.run(Command.of(argv)
                .withEnv("CONTAINERS_CONF", work.resolve("containers.conf").toString())
                .withTimeout(Duration.ofMinutes(3)));
    }

    @Override
    Path work() {
        return work;
    }

    @Override
    CommandResult client(String... args) {
        return podman(args);
    }

    @Override
    List<String> runOnJurunc() {
        return List.of("run");
    }

    /** Podman's {@code rm -f} stops with a timeout too: 10 s, as {@code stop -t 10}. */
    @Override
    CommandResult removeRunning(String name) {
        return podman("rm", "-f", "-t", "10", name);
    }

    @Override
    void discard(String name) {
        podman("rm", "-f", "-t", "0", name);
    }

    @Override
    String bridgeNetwork() {
        return network;
    }

    /** Podman maps the runtime's error text: "no such file or directory" or "executable file not found" to 127. */
    @Override
    int execNotFoundStatus() {
        return 127;
    }

    /** ... "permission denied" to 126. */
    @Override
    int execNotRunnableStatus() {
        return 126;
    }
}
