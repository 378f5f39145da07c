package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.ProcFs;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.ShimDaemons;
import io.jurunc.e2e.support.TestImages;
import io.jurunc.e2e.support.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * containerd's runc shim with {@code --runc-binary} the dist's {@code bin/jurunc} (the native front) while the
 * node daemon serves the CLI's socket: create, start, kill and delete of a Linux microVM and of a plain container
 * (handed to runc) run without a JVM start, the microVM's monitor stays a descendant of the runc shim, and
 * nothing is left after {@code ctr task kill}, {@code ctr task delete} and {@code ctr container rm}. With the
 * daemon stopped, the same front falls back to the JVM launcher.
 *
 * <p>The runtime calls go through a wrapper script (the {@code --runc-binary}) that records each call and execs
 * the front with {@code JURUNC_JAVA} naming a script that records the JVM's command line: a script that fails
 * while the daemon serves, one that runs the real java after it stopped. The daemon's socket is private to this
 * class ({@code JURUNC_NODE_SOCKET} in containerd's environment, which the node daemon and the runc shim's calls
 * inherit), so another node daemon on the machine cannot answer.
 */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServedCliTest {
    private static final String SHIM_RUNTIME = "io.containerd.jurunc.v2";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final Cleanup cleanup = new Cleanup();
    private final Leftovers leftovers = Leftovers.system();
    private final ProcFs proc = ProcFs.system();
    private Path work;
    private Path socket;
    private PrivateContainerd containerd;
    private Ctr ctr;
    private CniNetwork net;
    /** The served path's runtime: records each call, runs the front with a JVM that must not start. */
    private Path servedRuntime;
    /** The fall-back's runtime: records each call, runs the front with a java that records its start. */
    private Path fallbackRuntime;

    @BeforeAll
    void startContainerdAndTheNodeDaemon() throws IOException {
        assertThat(Jurunc.cli())
                .as("the built dist (mvn -q install -DskipTests)")
                .isExecutable();
        assertThat(Jurunc.binDir().resolve("jurunc.jvm"))
                .as("bin/jurunc is the native front with the JVM launcher beside it")
                .isExecutable();
        assertThat(Jurunc.shim()).isExecutable();
        try {
            work = Files.createTempDirectory("jurunc-e2e-served-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            socket = work.resolve("node/cli.sock");
            servedRuntime = runtimeWrapper("served", script("no-jvm", "exit 97"));
            fallbackRuntime = runtimeWrapper(
                    "fallback",
                    script("java", "exec " + Path.of(System.getProperty("java.home"), "bin", "java") + " \"$@\""));

            ImageBuilder builder = ImageBuilders.configured(new RealHost());
            List<Path> archives = new ArrayList<>();
            for (String image : List.of("plain", "hello")) {
                archives.add(TestImages.buildArchive(builder, image, ref(image), work));
            }
            containerd = cleanup.register(PrivateContainerd.start(
                    UnaryOperator.identity(),
                    List.of(Jurunc.binDir()),
                    Map.of("JURUNC_NODE_SOCKET", socket.toString())));
            // the node daemon is resident: stop it before containerd goes
            cleanup.defer("stop the node daemon", () -> ShimDaemons.stop(containerd));
            ctr = containerd.ctr();
            net = cleanup.register(CniNetwork.create(new RealHost()));
            for (Path archive : archives) {
                String name = archive.getFileName().toString().replace(".tar", "");
                ctr.importImage(archive, "jurunc.test/" + name).requireSuccess();
            }

            // The first container through jurunc's shim starts the node daemon, which stays and serves the CLI.
            String first = E2eEnvironment.newId("node");
            CommandResult run = ctr.run(
                    RunSpec.of(ref("plain"), first).withRuntime(SHIM_RUNTIME).withRm());
            assertThat(run.succeeded()).as(run.describe()).isTrue();
            assertThat(ShimDaemons.of(containerd))
                    .as("the resident node daemon")
                    .hasSize(1);
            assertThat(Waits.whileNonEmpty(() -> Files.exists(socket) ? List.<Path>of() : List.of(socket), LIMIT))
                    .as(() -> "the node daemon serves the CLI on " + socket + daemonLog())
                    .isEmpty();
        } catch (IOException | RuntimeException | AssertionError e) {
            cleanup.close();
            throw e;
        }
    }

    @AfterAll
    void close() {
        cleanup.close();
    }

    @Test
    @Order(1)
    void aLinuxMicroVmRunsWithoutAJvmAndItsMonitorIsTheRuncShimsDescendant() throws IOException {
        String id = E2eEnvironment.newId("served-vm");
        Path log = work.resolve(id + ".log");
        CommandResult started = ctr.run(RunSpec.of(
                        ref("hello"),
                        id,
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "echo served-guest kernel=$(/bin/busybox uname -r); exec /bin/busybox sleep 600")
                .withRuncBinary(servedRuntime)
                .withCni(net)
                .withFlag("--detach", "--log-uri", "file://" + log));
        try {
            assertThat(started.succeeded())
                    .as(() -> started.describe() + diagnostics())
                    .isTrue();
            Ctr.TaskRow task = ctr.awaitTask(id, "RUNNING", LIMIT)
                    .orElseThrow(() -> new AssertionError("not RUNNING: " + ctr.task(id) + diagnostics()));
            String line = awaitLine(log, "served-guest kernel=");
            assertThat(line)
                    .as("the guest runs its own kernel, not the host's")
                    .doesNotContain("kernel=" + System.getProperty("os.version"));

            ProcFs.Proc monitor = proc.monitorOf(task.pid())
                    .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + task.pid()));
            assertThat(monitor.argv().getFirst()).contains("qemu-system");
            List<ProcFs.Proc> ancestors = ancestors(monitor.pid());
            String chain =
                    ancestors.stream().map(p -> p.pid() + " " + p.commandLine()).reduce("", (a, b) -> a + "\n  " + b);
            assertThat(ancestors)
                    .as("the monitor's ancestors:" + chain)
                    .anyMatch(p -> p.argv().getFirst().endsWith("containerd-shim-runc-v2")
                            && p.argv().contains(containerd.address().toString()));
            List<Long> daemons = ShimDaemons.of(containerd);
            assertThat(ancestors.stream().map(ProcFs.Proc::pid).toList())
                    .as("the node daemon " + daemons + " is not among the monitor's ancestors:" + chain)
                    .doesNotContainAnyElementsOf(daemons);

            assertThat(stateDir(id)).as("state dir while running").isDirectory();
            // `jurunc state` (not one of the runc shim's calls here) is served too: its JSON comes back as the
            // front's stdout
            CommandResult state = new RealHost()
                    .run(Command.of(
                                    servedRuntime.toString(),
                                    "--root",
                                    stateDir(id).getParent().toString(),
                                    "state",
                                    id)
                            .withEnv("JURUNC_NODE_SOCKET", socket.toString()));
            assertThat(state.succeeded())
                    .as(() -> state.describe() + diagnostics())
                    .isTrue();
            assertThat(state.stdout().replaceAll("\\s", ""))
                    .as(state.describe())
                    .contains("\"status\":\"running\"")
                    .containsPattern("\"pid\":" + task.pid() + "[,}]");
            Leftovers.NetnsRecord netns = leftovers.recordNetns(task.pid()).orElseThrow();
            assertThat(leftovers.tapsInNetnsOf(task.pid()))
                    .as("the microVM's tap in the container's netns (CNI gave it an interface)")
                    .isNotEmpty();

            killDeleteRemove(id);
            assertThat(leftovers.find(scope(id).withNetns(netns).withProcess(monitor)))
                    .as("nothing left: no state dir, no monitor, no netns with the tap")
                    .isEmpty();
            assertServedWithoutAJvm(id);
            report("microVM", id, started);
        } finally {
            ctr.forceRemove(id);
        }
    }

    @Test
    @Order(2)
    void aPlainContainerIsHandedToRuncWithoutAJvm() throws IOException {
        String id = E2eEnvironment.newId("served-plain");
        Path log = work.resolve(id + ".log");
        CommandResult started = ctr.run(RunSpec.of(
                        ref("plain"),
                        id,
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "echo served-plain pid1=$$ kernel=$(/bin/busybox uname -r); exec /bin/busybox sleep 600")
                .withRuncBinary(servedRuntime)
                .withFlag("--detach", "--log-uri", "file://" + log));
        try {
            assertThat(started.succeeded())
                    .as(() -> started.describe() + diagnostics())
                    .isTrue();
            assertThat(ctr.awaitTask(id, "RUNNING", LIMIT))
                    .as(() -> "RUNNING: " + ctr.task(id) + diagnostics())
                    .isPresent();
            // runc's container: the shell is pid 1 and shares the host's kernel (no VM booted)
            assertThat(awaitLine(log, "served-plain")).contains("pid1=1 kernel=" + System.getProperty("os.version"));
            assertThat(stateDir(id)).as("runc's state dir under the same root").isDirectory();

            killDeleteRemove(id);
            assertThat(leftovers.find(scope(id))).isEmpty();
            assertServedWithoutAJvm(id);
            report("plain container (runc)", id, started);
        } finally {
            ctr.forceRemove(id);
        }
    }

    @Test
    @Order(3)
    void withTheNodeDaemonStoppedTheFrontFallsBackToTheJvm() throws IOException {
        ShimDaemons.stop(containerd);
        assertThat(ShimDaemons.of(containerd)).isEmpty();
        assertThat(socket).as("the daemon removed its socket").doesNotExist();

        String id = E2eEnvironment.newId("fallback");
        CommandResult run = ctr.run(
                RunSpec.of(ref("plain"), id, "/bin/busybox", "sh", "-c", "echo fallback pid1=$$ kernel=$(uname -r)")
                        .withRuncBinary(fallbackRuntime)
                        .withRm());
        try {
            assertThat(run.succeeded()).as(() -> run.describe() + diagnostics()).isTrue();
            assertThat(run.stdout()).contains("fallback pid1=1 kernel=" + System.getProperty("os.version"));
            assertThat(leftovers.find(scope(id))).isEmpty();
            // a call may still be on its way when ctr returns (the runc shim's own delete --force): compare the
            // two records once they agree, or after 10 s
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            List<String> calls = verbs(read(work.resolve("fallback-calls.log")), id);
            List<String> jvms = jvmStarts(id);
            while (jvms.size() != calls.size() && System.nanoTime() < deadline) {
                Waits.sleep(Duration.ofMillis(50));
                calls = verbs(read(work.resolve("fallback-calls.log")), id);
                jvms = jvmStarts(id);
            }
            assertThat(calls).as("the runc shim's calls").contains("create", "start", "delete");
            assertThat(jvms).as("one JVM per call " + calls + ": " + jvms).hasSameSizeAs(calls);
            System.out.printf(
                    "measure: daemon stopped, plain container: ctr run --rm %d ms, %d JVM starts for %s%n",
                    run.elapsed().toMillis(), jvms.size(), calls);
        } finally {
            ctr.forceRemove(id);
        }
    }

    // ---- helpers

    /** The JVM starts recorded by the fall-back's java for calls naming {@code id}. */
    private List<String> jvmStarts(String id) throws IOException {
        return read(work.resolve("java.log")).stream()
                .filter(l -> l.contains("io.jurunc.cli.Main") && l.contains(id))
                .toList();
    }

    private static String ref(String image) {
        return "jurunc.test/" + image + ":latest";
    }

    /** SIGKILL, then {@code ctr task delete} and {@code ctr container rm}, each of which must succeed. */
    private void killDeleteRemove(String id) {
        ctr.kill(id, "SIGKILL").requireSuccess();
        assertThat(ctr.awaitTask(id, "STOPPED", LIMIT))
                .as(() -> "STOPPED after SIGKILL: " + ctr.task(id) + diagnostics())
                .isPresent();
        CommandResult deleted = ctr.deleteTask(id, false);
        assertThat(deleted.succeeded())
                .as(() -> deleted.describe() + diagnostics())
                .isTrue();
        CommandResult removed = ctr.ctr("containers", "rm", id);
        assertThat(removed.succeeded()).as(removed.describe()).isTrue();
        assertThat(ctr.task(id)).isEmpty();
        assertThat(ctr.containers()).doesNotContain(id);
    }

    /** Every runtime call for {@code id} went through the served runtime, and none of them started a JVM. */
    private void assertServedWithoutAJvm(String id) throws IOException {
        assertThat(read(work.resolve("no-jvm.log")))
                .as("no JVM was started for a runtime call")
                .isEmpty();
        assertThat(verbs(read(work.resolve("served-calls.log")), id))
                .as("the runc shim's calls for " + id)
                .contains("create", "start", "kill", "delete");
    }

    private void report(String what, String id, CommandResult started) throws IOException {
        System.out.printf(
                "measure: served %s: ctr run --detach %d ms; runtime calls %s, no JVM%n",
                what, started.elapsed().toMillis(), verbs(read(work.resolve("served-calls.log")), id));
    }

    /**
     * The runc verbs of the recorded calls that name {@code id} (the first argument that is not one of runc's
     * global flags or their values).
     */
    private static List<String> verbs(List<String> calls, String id) {
        List<String> out = new ArrayList<>();
        for (String call : calls) {
            List<String> a = List.of(call.split(" "));
            if (!a.contains(id)) continue;
            for (int i = 0; i < a.size(); i++) {
                String s = a.get(i);
                if (List.of("--root", "--log", "--log-format", "--rootless").contains(s)) {
                    i++;
                } else if (!s.startsWith("-")) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    private Leftovers.Scope scope(String id) {
        return Leftovers.Scope.of(id, stateDir(id), containerd.taskBundle(ctr.namespace(), id))
                .withSearchRoot(Path.of("/run/containerd/runc", ctr.namespace()));
    }

    /** The runc shim's default {@code --root} is {@code /run/containerd/runc/<namespace>}. */
    private Path stateDir(String id) {
        return Path.of("/run/containerd/runc", ctr.namespace(), id);
    }

    /** The process's parent, its parent, ... up to pid 1. */
    private List<ProcFs.Proc> ancestors(long pid) {
        List<ProcFs.Proc> out = new ArrayList<>();
        Optional<ProcFs.Proc> p = proc.process(pid);
        while (p.isPresent() && p.get().ppid() > 0) {
            p = proc.process(p.get().ppid());
            p.ifPresent(out::add);
        }
        return out;
    }

    private String awaitLine(Path log, String prefix) {
        List<Path> found = Waits.whileNonEmpty(
                () -> {
                    try {
                        return read(log).stream().anyMatch(l -> l.contains(prefix)) ? List.<Path>of() : List.of(log);
                    } catch (IOException e) {
                        throw new HarnessException("cannot read " + log, e);
                    }
                },
                LIMIT);
        assertThat(found)
                .as("a line with '" + prefix + "' in the task's log " + log)
                .isEmpty();
        try {
            return read(log).stream()
                    .filter(l -> l.contains(prefix))
                    .findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new HarnessException("cannot read " + log, e);
        }
    }

    private static List<String> read(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** A script in the work directory that appends its arguments to {@code <name>.log}, then runs {@code then}. */
    private Path script(String name, String then) throws IOException {
        Path script = work.resolve(name);
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + work.resolve(name + ".log") + "\n" + then + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /**
     * A {@code --runc-binary} that records the call in {@code <name>-calls.log} and execs the dist's front (by
     * its real path: the front finds {@code jurunc.jvm} and its installation through /proc/self/exe) with
     * {@code JURUNC_JAVA=java}.
     */
    private Path runtimeWrapper(String name, Path java) throws IOException {
        return script(name + "-calls", "JURUNC_JAVA=" + java + " exec " + Jurunc.cli() + " \"$@\"");
    }

    /** The recorded runtime calls and JVM starts (only their arguments after the main class), the daemon's log. */
    private String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("served-calls", "no-jvm", "fallback-calls", "java")) {
            try {
                out.append("\n").append(name).append(".log:");
                for (String line : read(work.resolve(name + ".log"))) {
                    out.append("\n  ").append(line.substring(Math.max(0, line.indexOf("io.jurunc.cli.Main"))));
                }
            } catch (IOException e) {
                out.append(" ").append(e.getMessage());
            }
        }
        return out + daemonLog();
    }

    /** The tail of the node daemon's log ({@code <its socket>.log} under /run/containerd/s). */
    private String daemonLog() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((containerd.address() + "/" + ctr.namespace() + "/jurunc-node")
                            .getBytes(StandardCharsets.UTF_8));
            Path log = Path.of("/run/containerd/s", HexFormat.of().formatHex(d) + ".log");
            List<String> lines = read(log);
            return "\nnode daemon log (" + log + ", tail):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }
}
