package io.jurunc.e2e.clients;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Debian's Docker 20.10 ({@code /usr/bin/docker}, {@code /usr/sbin/dockerd}, package docker.io) with jurunc
 * as a runtime: {@code dockerd --add-runtime jurunc=<jurunc>} and {@code docker run --runtime jurunc}. The
 * daemon is private to the class: data root, exec root, pid file and socket under a temp dir, its own
 * containerd (dockerd starts one under the exec root), {@code --bridge=none --iptables=false
 * --ip-masq=false}, so it touches neither the host's firewall nor its default bridge. The microVM image is
 * {@code e2e/images/echo} (busybox + httpd, {@code com.urunc.unikernel.*} labels), the plain one
 * {@code e2e/images/plain}; both built by {@code jurunc build} as docker archives and {@code docker load}ed.
 *
 * <p>Publishing a port: {@code --bridge=none} leaves no default network, so the test creates a bridge
 * network with {@code enable_ip_masquerade=false} on a free 10.2xx.y.0/24 and publishes on 127.0.0.1 only;
 * with {@code --iptables=false} Docker forwards the port with its userland {@code docker-proxy}, which
 * listens on 127.0.0.1 and connects to the container's address through the bridge: no firewall rule.
 * Docker 20.10 configures the container's interface from an OCI {@code prestart} hook
 * ({@code libnetwork-setkey}) in config.json, so that case needs the runtime to run the spec's hooks.
 * The tests themselves are {@link ClientContract}'s.
 */
@E2E
class DockerClientTest extends ClientContract {
    static final Cleanup CLEANUP = new Cleanup();
    static Path work;
    static Path socket;
    static String network;

    @BeforeAll
    static void setUp() throws Exception {
        for (String tool : List.of("/usr/bin/docker", "/usr/sbin/dockerd", "/usr/sbin/docker-proxy")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new HarnessException("no " + tool + ": run scripts/install-deps.sh (package docker.io)");
            }
        }
        work = Files.createTempDirectory("jurunc-e2e-docker-");
        CLEANUP.defer("unmount and delete " + work, () -> ClientHost.unmountAndDelete(HOST, work));
        CLEANUP.defer("processes naming " + work, () -> ClientHost.killProcessesNaming(work));
        socket = work.resolve("docker.sock");
        Spawned dockerd = HOST.start(
                Command.of(
                        "/usr/sbin/dockerd",
                        "--data-root",
                        work.resolve("data").toString(),
                        "--exec-root",
                        work.resolve("exec").toString(),
                        "--pidfile",
                        work.resolve("docker.pid").toString(),
                        "--host",
                        "unix://" + socket,
                        "--bridge=none",
                        "--iptables=false",
                        "--ip-masq=false",
                        "--add-runtime",
                        "jurunc=" + Jurunc.cli().toAbsolutePath()),
                work.resolve("dockerd.out"),
                work.resolve("dockerd.log"));
        CLEANUP.defer("stop dockerd " + dockerd.pid(), () -> dockerd.stop(Duration.ofSeconds(20)));
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!docker("version").succeeded()) {
            if (!dockerd.isAlive() || System.nanoTime() > end) {
                throw new HarnessException(
                        "dockerd did not answer on " + socket + ": " + Files.readString(work.resolve("dockerd.log")));
            }
            Waits.sleep(Duration.ofMillis(300));
        }
        for (String name : List.of("echo", "plain")) {
            docker("load", "-i", ClientHost.dockerArchive(HOST, name, work).toString())
                    .requireSuccess();
        }
        network = newName("net");
        docker(
                        "network",
                        "create",
                        "--driver",
                        "bridge",
                        "--subnet",
                        ClientHost.freePrefix(HOST) + "0/24",
                        "-o",
                        "com.docker.network.bridge.enable_ip_masquerade=false",
                        "-o",
                        "com.docker.network.bridge.name=jrdk" + ClientHost.randomHex(4),
                        network)
                .requireSuccess();
        CLEANUP.defer("network " + network, () -> docker("network", "rm", network));
        CLEANUP.defer("remove every container", () -> {
            String ids = docker("ps", "-aq").stdout().strip();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.split("\\s+")));
                docker(rm.toArray(String[]::new));
            }
        });
    }

    @AfterAll
    static void tearDown() {
        CLEANUP.close();
    }

    static CommandResult docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/docker", "--host", "unix://" + socket));
        argv.addAll(List.of(args));
        return HOST.run(Command.of(argv).withTimeout(Duration.ofMinutes(3)));
    }

    @Override
    Path work() {
        return work;
    }

    @Override
    CommandResult client(String... args) {
        return docker(args);
    }

    @Override
    List<String> runOnJurunc() {
        return List.of("run", "--runtime", "jurunc");
    }

    @Override
    CommandResult removeRunning(String name) {
        return docker("rm", "-f", name);
    }

    @Override
    void discard(String name) {
        docker("rm", "-f", name);
    }

    @Override
    String bridgeNetwork() {
        return network;
    }

    /**
     * Docker 20.10 gives 126 for every exec that did not start, whatever the runtime said (its exec start
     * sets 126 on any error, after moby's translation of the runtime's text to 127 or 126); runc's
     * {@code executable file not found} gives 126 too.
     */
    @Override
    int execNotFoundStatus() {
        return 126;
    }

    @Override
    int execNotRunnableStatus() {
        return 126;
    }
}
