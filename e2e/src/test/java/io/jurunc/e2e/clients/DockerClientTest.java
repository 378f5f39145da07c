package io.jurunc.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.Spawned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

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
 */
@E2E
class DockerClientTest {
    static final String MICROVM = "jurunc.test/echo:latest";
    static final String PLAIN = "jurunc.test/plain:latest";
    static final String BUSYBOX = "/bin/busybox";
    static final Host HOST = new RealHost();
    static final Cleanup CLEANUP = new Cleanup();
    static Path work;
    static Path socket;

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
        CLEANUP.defer("remove every container", () -> {
            String ids = docker("ps", "-aq").stdout().strip();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.split("\\s+")));
                docker(rm.toArray(String[]::new));
            }
        });
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!docker("version").succeeded()) {
            if (!dockerd.isAlive() || System.nanoTime() > end) {
                throw new HarnessException(
                        "dockerd did not answer on " + socket + ": " + Files.readString(work.resolve("dockerd.log")));
            }
            ClientHost.sleep(Duration.ofMillis(300));
        }
        for (String name : List.of("echo", "plain")) {
            docker("load", "-i", ClientHost.dockerArchive(HOST, name, work).toString())
                    .requireSuccess();
        }
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

    static String newName(String what) {
        return "jurunc-" + what + "-" + ClientHost.randomHex(4);
    }

    static String inspect(String name, String format) {
        return docker("inspect", "--format", format, name)
                .requireSuccess()
                .stdout()
                .strip();
    }

    static Optional<String> argv0(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command());
    }

    @Test
    void aMicroVmRunsItsOwnKernelAndDockerRunShowsItsOutput() {
        CommandResult run = docker(
                "run",
                "--rm",
                "--runtime",
                "jurunc",
                "--network",
                "none",
                MICROVM,
                BUSYBOX,
                "sh",
                "-c",
                "echo \"from the guest: $(" + BUSYBOX + " uname -r)\"");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout())
                .as(run.describe())
                .contains("from the guest: ")
                .doesNotContain("from the guest: " + System.getProperty("os.version"));
    }

    /** A command that exits 3 in the guest: {@code docker run} exits 3, as with runc. */
    @Test
    @Disabled(
            "the guest's exit status does not reach the container: QEMU is the container's process and exits 0 when the guest init powers off after printing 'jurunc-init: exit status N' (docs/guest.md); QEMU has no device that makes it exit with an arbitrary status (isa-debug-exit gives 2N+1). Open in issue 12.")
    void theGuestCommandsExitStatusIsDockerRunsExitStatus() {
        CommandResult run = docker(
                "run", "--rm", "--runtime", "jurunc", "--network", "none", MICROVM, BUSYBOX, "sh", "-c", "exit 3");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    }

    @Test
    void logsStopStartRestartAndRmOfADetachedMicroVm() {
        String name = newName("life");
        CommandResult started = docker(
                "run",
                "-d",
                "--name",
                name,
                "--runtime",
                "jurunc",
                "--network",
                "none",
                MICROVM,
                BUSYBOX,
                "sh",
                "-c",
                "echo started in the guest; while :; do " + BUSYBOX + " sleep 1; done");
        assertThat(started.exitCode()).as(started.describe()).isZero();
        long pid = Long.parseLong(inspect(name, "{{.State.Pid}}"));
        assertThat(argv0(pid))
                .as("the container's process is the monitor")
                .hasValueSatisfying(c -> assertThat(c).contains("qemu-system"));
        CommandResult logs = awaitLogs(name, "started in the guest", Duration.ofSeconds(90));
        assertThat(logs.stdout()).as(logs.describe()).contains("started in the guest");

        CommandResult stop = docker("stop", "-t", "10", name);
        assertThat(stop.exitCode()).as(stop.describe()).isZero();
        assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("exited");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("monitor gone")
                .isFalse();

        CommandResult start = docker("start", name);
        assertThat(start.exitCode()).as(start.describe()).isZero();
        assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("running");
        long second = Long.parseLong(inspect(name, "{{.State.Pid}}"));
        assertThat(second).isNotEqualTo(pid);
        assertThat(argv0(second)).hasValueSatisfying(c -> assertThat(c).contains("qemu-system"));

        CommandResult restart = docker("restart", "-t", "10", name);
        assertThat(restart.exitCode()).as(restart.describe()).isZero();
        assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("running");
        long third = Long.parseLong(inspect(name, "{{.State.Pid}}"));
        assertThat(third).isNotEqualTo(second);
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();

        CommandResult rm = docker("rm", "-f", name);
        assertThat(rm.exitCode()).as(rm.describe()).isZero();
        assertThat(ProcessHandle.of(third).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(docker("ps", "-aq", "--filter", "name=" + name).stdout()).isBlank();
    }

    static CommandResult awaitLogs(String name, String text, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        CommandResult logs = docker("logs", name);
        while (!logs.stdout().contains(text) && System.nanoTime() < end) {
            ClientHost.sleep(Duration.ofSeconds(1));
            logs = docker("logs", name);
        }
        return logs;
    }

    @Test
    void aReadOnlyVolumeIsReadInsideTheGuest() throws Exception {
        Path dir = Files.createDirectories(work.resolve("volume"));
        String content = "from the host " + ClientHost.randomHex(6);
        Files.writeString(dir.resolve("f"), content + "\n");
        CommandResult run = docker(
                "run",
                "--rm",
                "--runtime",
                "jurunc",
                "--network",
                "none",
                "-v",
                dir + ":/data:ro",
                MICROVM,
                BUSYBOX,
                "sh",
                "-c",
                "cat /data/f; echo x > /data/g && echo wrote");
        assertThat(run.stdout()).as(run.describe()).contains(content).doesNotContain("wrote");
        assertThat(run.stdout() + run.stderr()).as(run.describe()).contains("Read-only file system");
        assertThat(dir.resolve("g")).doesNotExist();
    }

    @Test
    void execIntoAMicroVmIsRefusedWithAClearError() {
        String name = newName("exec");
        docker(
                        "run",
                        "-d",
                        "--name",
                        name,
                        "--runtime",
                        "jurunc",
                        "--network",
                        "none",
                        MICROVM,
                        BUSYBOX,
                        "sleep",
                        "600")
                .requireSuccess();
        try {
            CommandResult exec = docker("exec", name, BUSYBOX, "echo", "inside");
            // 126: the OCI runtime refused the exec; the 20.10 client prints the daemon's error on stdout
            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(126);
            assertThat(exec.stdout() + exec.stderr())
                    .as(exec.describe())
                    .contains("exec into a microVM is not supported")
                    .doesNotContain("inside");
            assertThat(inspect(name, "{{.State.Status}}"))
                    .as("the VM survives a refused exec")
                    .isEqualTo("running");
        } finally {
            docker("rm", "-f", name);
        }
    }

    @Test
    void aPlainImageIsHandedToRuncWhereExecWorks() {
        CommandResult once = docker("run", "--rm", "--runtime", "jurunc", "--network", "none", PLAIN);
        assertThat(once.exitCode()).as(once.describe()).isZero();
        assertThat(once.stdout()).isEqualTo("hello from runc via jurunc\n");
        CommandResult three =
                docker("run", "--rm", "--runtime", "jurunc", "--network", "none", PLAIN, BUSYBOX, "sh", "-c", "exit 3");
        assertThat(three.exitCode()).as(three.describe()).isEqualTo(3);

        String name = newName("plain");
        docker("run", "-d", "--name", name, "--runtime", "jurunc", "--network", "none", PLAIN, BUSYBOX, "sleep", "600")
                .requireSuccess();
        try {
            long pid = Long.parseLong(inspect(name, "{{.State.Pid}}"));
            assertThat(argv0(pid))
                    .as("runc's container process, no monitor")
                    .hasValueSatisfying(c -> assertThat(c).doesNotContain("qemu"));
            CommandResult exec =
                    docker("exec", name, BUSYBOX, "sh", "-c", "echo \"kernel $(" + BUSYBOX + " uname -r)\"; exit 4");
            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(4);
            assertThat(exec.stdout())
                    .as("runc shares the host's kernel")
                    .isEqualTo("kernel " + System.getProperty("os.version") + "\n");
            CommandResult stop = docker("stop", "-t", "2", name);
            assertThat(stop.exitCode()).as(stop.describe()).isZero();
        } finally {
            docker("rm", "-f", name);
        }
    }

    /** The echo service in a microVM behind {@code -p 127.0.0.1:PORT:8080}, reached by curl from 127.0.0.1. */
    @Test
    void aPortPublishedOnLoopbackReachesTheGuestsService() {
        String prefix = ClientHost.freePrefix(HOST);
        String network = newName("net");
        String bridge = "jrdk" + ClientHost.randomHex(4);
        docker(
                        "network",
                        "create",
                        "--driver",
                        "bridge",
                        "--subnet",
                        prefix + "0/24",
                        "-o",
                        "com.docker.network.bridge.enable_ip_masquerade=false",
                        "-o",
                        "com.docker.network.bridge.name=" + bridge,
                        network)
                .requireSuccess();
        String name = newName("port");
        try {
            int port = ClientHost.freeLoopbackPort();
            CommandResult run = docker(
                    "run",
                    "-d",
                    "--name",
                    name,
                    "--runtime",
                    "jurunc",
                    "--network",
                    network,
                    "-p",
                    "127.0.0.1:" + port + ":8080",
                    MICROVM);
            assertThat(run.exitCode()).as(run.describe()).isZero();
            String probe = ClientHost.randomHex(8);
            CommandResult answer =
                    ClientHost.awaitAnswer(HOST, port, "/cgi-bin/echo", "X-Probe: " + probe, Duration.ofSeconds(60));
            assertThat(answer.exitCode())
                    .as(answer.describe() + "\nlogs: " + docker("logs", name).stdout())
                    .isZero();
            assertThat(answer.stdout()).contains("HTTP_X_PROBE=" + probe);
        } finally {
            docker("rm", "-f", name);
            docker("network", "rm", network);
        }
    }
}
