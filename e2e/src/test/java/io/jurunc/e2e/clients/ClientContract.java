package io.jurunc.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.ProcFs;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What jurunc must do under every container client (Docker, Podman): the same tests, written once. A
 * client's test class starts its private daemon and storage, loads the images {@code e2e/images/echo}
 * (microVM) and {@code e2e/images/plain} (handed to runc), and says how its command line differs.
 */
abstract class ClientContract {
    static final String MICROVM = "jurunc.test/echo:latest";
    static final String PLAIN = "jurunc.test/plain:latest";
    static final String BUSYBOX = "/bin/busybox";
    static final Host HOST = new RealHost();

    /** The class's private temp dir (the client's daemon or storage live under it). */
    abstract Path work();

    /** The client's command line (its private daemon or storage) with {@code args}. */
    abstract CommandResult client(String... args);

    /** The words that start a container on jurunc: Docker names the runtime per container, Podman globally. */
    abstract List<String> runOnJurunc();

    /** {@code rm -f} of a running container as a user types it. */
    abstract CommandResult removeRunning(String name);

    /** Clean-up: removes the container at once, whatever its state; the result does not matter. */
    abstract void discard(String name);

    /** A bridge network the class set up, on which a port can be published on 127.0.0.1. */
    abstract String bridgeNetwork();

    /** The client's exit status for an exec of a command the image lacks, as with runc. */
    abstract int execNotFoundStatus();

    /** The client's exit status for an exec of a file that is not executable, as with runc. */
    abstract int execNotRunnableStatus();

    CommandResult run(String... args) {
        List<String> argv = new ArrayList<>(runOnJurunc());
        argv.addAll(List.of(args));
        return client(argv.toArray(String[]::new));
    }

    static String newName(String what) {
        return "jurunc-" + what + "-" + ClientHost.randomHex(4);
    }

    String inspect(String name, String format) {
        return client("inspect", "--format", format, name)
                .requireSuccess()
                .stdout()
                .strip();
    }

    long pid(String name) {
        return Long.parseLong(inspect(name, "{{.State.Pid}}"));
    }

    static Optional<String> argv0(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command());
    }

    /** The monitor's argv[0]: the child of the container's process, the sandbox init. */
    static Optional<String> monitorArgv0(long containerPid) {
        return ProcFs.system().monitorOf(containerPid).map(p -> p.argv().getFirst());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    CommandResult awaitLogs(String name, String text, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        CommandResult logs = client("logs", name);
        while (!logs.stdout().contains(text) && System.nanoTime() < end) {
            Waits.sleep(Duration.ofSeconds(1));
            logs = client("logs", name);
        }
        return logs;
    }

    @Test
    void aMicroVmRunsItsOwnKernelAndTheClientShowsItsOutput() {
        CommandResult run = run(
                "--rm",
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

    /**
     * A command that exits 3 in the guest: the client's {@code run} exits 3, as with runc (the sandbox
     * init exits with the byte the guest init wrote to its exit port).
     */
    @Test
    void theGuestCommandsExitStatusIsTheClientsExitStatus() {
        CommandResult run = run("--rm", "--network", "none", MICROVM, BUSYBOX, "sh", "-c", "exit 3");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
    }

    @Test
    void logsStopStartRestartAndRmOfADetachedMicroVm() {
        String name = newName("life");
        CommandResult started = run(
                "-d",
                "--name",
                name,
                "--network",
                "none",
                MICROVM,
                BUSYBOX,
                "sh",
                "-c",
                "echo started in the guest; while :; do " + BUSYBOX + " sleep 1; done");
        assertThat(started.exitCode()).as(started.describe()).isZero();
        try {
            long pid = pid(name);
            assertThat(monitorArgv0(pid))
                    .as("the container's process is the sandbox init, its child the monitor")
                    .hasValueSatisfying(c -> assertThat(c).contains("qemu-system"));
            CommandResult logs = awaitLogs(name, "started in the guest", Duration.ofSeconds(90));
            assertThat(logs.stdout()).as(logs.describe()).contains("started in the guest");

            CommandResult stop = client("stop", "-t", "10", name);
            assertThat(stop.exitCode()).as(stop.describe()).isZero();
            assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("exited");
            assertThat(alive(pid)).as("monitor gone").isFalse();

            CommandResult start = client("start", name);
            assertThat(start.exitCode()).as(start.describe()).isZero();
            assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("running");
            long second = pid(name);
            assertThat(second).isNotEqualTo(pid);
            assertThat(monitorArgv0(second))
                    .hasValueSatisfying(c -> assertThat(c).contains("qemu-system"));

            CommandResult restart = client("restart", "-t", "10", name);
            assertThat(restart.exitCode()).as(restart.describe()).isZero();
            assertThat(inspect(name, "{{.State.Status}}")).isEqualTo("running");
            long third = pid(name);
            assertThat(third).isNotEqualTo(second);
            assertThat(alive(second)).isFalse();

            CommandResult rm = removeRunning(name);
            assertThat(rm.exitCode()).as(rm.describe()).isZero();
            assertThat(alive(third)).isFalse();
            assertThat(client("ps", "-aq", "--filter", "name=" + name).stdout()).isBlank();
        } finally {
            discard(name);
        }
    }

    @Test
    void aReadOnlyVolumeIsReadInsideTheGuest() throws Exception {
        Path dir = Files.createDirectories(work().resolve("volume"));
        String content = "from the host " + ClientHost.randomHex(6);
        Files.writeString(dir.resolve("f"), content + "\n");
        CommandResult run = run(
                "--rm",
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

    /** exec into a running microVM runs in the guest (its kernel), with -e, -w and its exit status. */
    @Test
    void execIntoAMicroVmRunsInTheGuestWithEnvWorkdirAndExitStatus() {
        String name = newName("exec");
        run("-d", "--name", name, "--network", "none", "-e", "FOO=bar", MICROVM, BUSYBOX, "sleep", "600")
                .requireSuccess();
        try {
            CommandResult exec = client(
                    "exec",
                    "-w",
                    "/bin",
                    "-e",
                    "EXTRA=x",
                    name,
                    BUSYBOX,
                    "sh",
                    "-c",
                    "echo \"in-guest $FOO $EXTRA $(pwd) $(" + BUSYBOX + " uname -r)\"; exit 5");
            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(5);
            assertThat(exec.stdout())
                    .as(exec.describe())
                    .contains("in-guest bar x /bin ")
                    .doesNotContain("/bin " + System.getProperty("os.version"));
            assertThat(inspect(name, "{{.State.Status}}"))
                    .as("the VM runs on after the exec")
                    .isEqualTo("running");
        } finally {
            discard(name);
        }
    }

    /**
     * An exec whose command cannot start exits as it does under runc, with the client's code for a command
     * the image lacks ({@link #execNotFoundStatus()}) and for a file that is not executable
     * ({@link #execNotRunnableStatus()}). runc's container, from the plain image, is the reference; the
     * microVM's reason comes from the guest through the exec relay. {@code /etc/hosts} is the client's own
     * file (0644) in both.
     */
    @Test
    void execOfAMissingOrNonExecutableCommandExitsAsUnderRunc() {
        Map<String, Integer> got = new LinkedHashMap<>();
        StringBuilder runs = new StringBuilder();
        for (String image : List.of(PLAIN, MICROVM)) {
            String name = newName("execerr");
            run("-d", "--name", name, "--network", "none", image, BUSYBOX, "sleep", "600")
                    .requireSuccess();
            try {
                CommandResult missing = client("exec", name, "nosuchcmd");
                CommandResult notExecutable = client("exec", name, "/etc/hosts");
                CommandResult ok = client("exec", name, BUSYBOX, "true");
                got.put(image + " missing", missing.exitCode());
                got.put(image + " not executable", notExecutable.exitCode());
                got.put(image + " a later exec", ok.exitCode());
                runs.append(missing.describe()).append(notExecutable.describe()).append(ok.describe());
            } finally {
                discard(name);
            }
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String image : List.of(PLAIN, MICROVM)) {
            expected.put(image + " missing", execNotFoundStatus());
            expected.put(image + " not executable", execNotRunnableStatus());
            expected.put(image + " a later exec", 0);
        }
        assertThat(got).as(runs.toString()).containsExactlyEntriesOf(expected);
    }

    @Test
    void aPlainImageIsHandedToRuncWhereExecWorks() {
        CommandResult once = run("--rm", "--network", "none", PLAIN);
        assertThat(once.exitCode()).as(once.describe()).isZero();
        assertThat(once.stdout()).isEqualTo("hello from runc via jurunc\n");
        CommandResult three = run("--rm", "--network", "none", PLAIN, BUSYBOX, "sh", "-c", "exit 3");
        assertThat(three.exitCode()).as(three.describe()).isEqualTo(3);

        String name = newName("plain");
        run("-d", "--name", name, "--network", "none", PLAIN, BUSYBOX, "sleep", "600")
                .requireSuccess();
        try {
            assertThat(argv0(pid(name)))
                    .as("runc's container process, no monitor")
                    .hasValueSatisfying(c -> assertThat(c).doesNotContain("qemu"));
            CommandResult exec =
                    client("exec", name, BUSYBOX, "sh", "-c", "echo \"kernel $(" + BUSYBOX + " uname -r)\"; exit 4");
            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(4);
            assertThat(exec.stdout())
                    .as("runc shares the host's kernel")
                    .isEqualTo("kernel " + System.getProperty("os.version") + "\n");
            CommandResult stop = client("stop", "-t", "2", name);
            assertThat(stop.exitCode()).as(stop.describe()).isZero();
        } finally {
            discard(name);
        }
    }

    /** The echo service in a microVM behind {@code -p 127.0.0.1:PORT:8080}, reached by curl from 127.0.0.1. */
    @Test
    void aPortPublishedOnLoopbackReachesTheGuestsService() {
        String name = newName("port");
        try {
            int port = ClientHost.freeLoopbackPort();
            CommandResult started = run(
                    "-d", "--name", name, "--network", bridgeNetwork(), "-p", "127.0.0.1:" + port + ":8080", MICROVM);
            assertThat(started.exitCode()).as(started.describe()).isZero();
            String probe = ClientHost.randomHex(8);
            CommandResult answer =
                    ClientHost.awaitAnswer(HOST, port, "/cgi-bin/echo", "X-Probe: " + probe, Duration.ofSeconds(90));
            assertThat(answer.exitCode())
                    .as(answer.describe() + "\nlogs: " + client("logs", name).stdout())
                    .isZero();
            assertThat(answer.stdout()).contains("HTTP_X_PROBE=" + probe);
        } finally {
            discard(name);
        }
    }
}
