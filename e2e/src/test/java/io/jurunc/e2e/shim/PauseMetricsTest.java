package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.ProcFs;
import io.jurunc.e2e.support.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 items 4 and 5 through containerd: {@code ctr task pause} / {@code ls} (PAUSED) / {@code resume}
 * and {@code ctr task metrics} for a Linux microVM, through the runc shim with the jurunc CLI
 * ({@code --runc-binary}) and through jurunc's shim ({@code --runtime io.containerd.jurunc.v2}); a plain
 * busybox container whose pause and exec go to runc. While paused, the guest gets no CPU at all: the CPU
 * counter of its cgroup reads the same twice, and grows again after resume (the guest spins).
 */
@E2E
class PauseMetricsTest extends OnShimEnvironment {
    private static final String[] SPIN = {"/bin/busybox", "sh", "-c", "while :; do :; done"};

    private static String newId(String what) {
        return "e2e-pause-" + what + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    private RunSpec viaCli(String image, String id, String... args) {
        return RunSpec.of(ShimEnvironment.ref(image), id, args).withRuncBinary(Jurunc.cli());
    }

    /**
     * The CPU time of the task's cgroup from {@code ctr task metrics}: {@code cpu.usage_usec} (cgroups v2
     * Metrics: jurunc's shim) or {@code cpuacct.usage} in ns (v1 Metrics: the runc shim on a v1 host).
     */
    private long cpuMicros(String id) {
        CommandResult m = env.ctr().ctr("tasks", "metrics", id);
        assertThat(m.succeeded()).as(m.describe()).isTrue();
        for (String line : m.stdout().lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].equals("cpu.usage_usec")) {
                return Long.parseLong(f[1]);
            }
            if (f.length == 2 && f[0].equals("cpuacct.usage")) {
                return Long.parseLong(f[1]) / 1000;
            }
        }
        throw new AssertionError("no CPU counter in: " + m.describe());
    }

    private CommandResult jurunc(Path root, String... args) {
        java.util.List<String> argv =
                new java.util.ArrayList<>(java.util.List.of(Jurunc.cli().toString(), "--root", root.toString()));
        argv.addAll(java.util.List.of(args));
        return new io.jurunc.e2e.support.RealHost()
                .run(io.jurunc.e2e.support.Command.of(argv).withTimeout(Duration.ofSeconds(60)));
    }

    /** A v1 hierarchy's file of the process's cgroup. */
    private static Path cgroupFile(long pid, String hierarchy, String file) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] f = line.split(":", 3);
            if (java.util.List.of(f[1].split(",")).contains(hierarchy)) {
                return Path.of("/sys/fs/cgroup", hierarchy, f[2], file);
            }
        }
        throw new AssertionError("process " + pid + " has no " + hierarchy + " cgroup");
    }

    /** The monitor's v1 freezer state, or v2's frozen flag, from its own cgroup. */
    private static String freezer(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].equals("freezer")) {
                return Files.readString(Path.of("/sys/fs/cgroup/freezer", f[2], "freezer.state"))
                        .strip();
            }
            if (f[0].equals("0") && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
                return Files.readString(Path.of("/sys/fs/cgroup", f[2], "cgroup.events"))
                                .contains("frozen 1")
                        ? "FROZEN"
                        : "THAWED";
            }
        }
        return "no freezer";
    }

    /**
     * Pauses and resumes, checking both paths: the monitor has a QMP socket in its state dir ({@code -qmp} in
     * its argv) and its cgroup is frozen while paused.
     */
    private void pauseCountResume(String id, String backend, Path stateDir) throws IOException {
        long pid = env.task(id).orElseThrow().pid();
        // the task's pid is the sandbox init; the monitor is its child
        String argv = ProcFs.system()
                .monitorOf(pid)
                .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + pid))
                .commandLine();
        assertThat(argv).as("the monitor's argv").contains("-qmp unix:" + stateDir.resolve("qmp/sock"));
        assertThat(Files.exists(stateDir.resolve("qmp/sock")))
                .as("QEMU made its QMP socket")
                .isTrue();
        long before = cpuMicros(id);
        assertThat(before).as("a spinning guest has used CPU").isPositive();
        CommandResult pause = env.ctr().ctr("tasks", "pause", id);
        assertThat(pause.succeeded()).as(pause.describe()).isTrue();
        assertThat(env.task(id).orElseThrow().status())
                .as("ctr task ls after pause")
                .isEqualTo("PAUSED");
        assertThat(freezer(pid)).as("the monitor's cgroup while paused").isEqualTo("FROZEN");
        long frozen = cpuMicros(id);
        PrivateSleep.of(Duration.ofMillis(1500));
        assertThat(cpuMicros(id)).as("no CPU while paused (" + backend + ")").isEqualTo(frozen);
        CommandResult again = env.ctr().ctr("tasks", "pause", id);
        assertThat(again.succeeded())
                .as("pausing a paused task fails: " + again.describe())
                .isFalse();
        CommandResult resume = env.ctr().ctr("tasks", "resume", id);
        assertThat(resume.succeeded()).as(resume.describe()).isTrue();
        assertThat(env.task(id).orElseThrow().status()).isEqualTo("RUNNING");
        assertThat(freezer(pid)).isEqualTo("THAWED");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long after = cpuMicros(id);
        while (after == frozen && System.nanoTime() < deadline) {
            PrivateSleep.of(Duration.ofMillis(200));
            after = cpuMicros(id);
        }
        assertThat(after)
                .as("the guest spins again after resume (" + backend + ")")
                .isGreaterThan(frozen);
    }

    @Test
    void aMicroVmPausesResumesAndReportsMetricsThroughTheRuncShimAndTheCli() throws IOException, InterruptedException {
        String id = newId("cli");
        CommandResult run = env.ctr().run(viaCli("hello", id, SPIN).withFlag("--detach"));
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        try {
            env.awaitTask(id, "RUNNING", Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError(env.task(id)));
            Path root = Path.of("/run/containerd/runc", env.ctr().namespace());
            pauseCountResume(id, "runc shim + jurunc CLI", root.resolve(id));
            // the CLI itself: state while paused, events --stats in runc's shape, update applied or refused
            assertThat(jurunc(root, "pause", id).succeeded()).isTrue();
            CommandResult state = jurunc(root, "state", id);
            assertThat(state.stdout()).as(state.describe()).contains("\"status\" : \"paused\"");
            assertThat(jurunc(root, "resume", id).succeeded()).isTrue();
            CommandResult stats = jurunc(root, "events", "--stats", id);
            assertThat(stats.succeeded()).as(stats.describe()).isTrue();
            assertThat(stats.stdout())
                    .startsWith("{\"type\":\"stats\",\"id\":\"" + id + "\",\"data\":{\"cpu\":{")
                    .contains("\"memory\":{", "\"pids\":{");
            CommandResult update = jurunc(root, "update", "--pids-limit", "4096", "--cpu-quota", "200000", id);
            assertThat(update.succeeded()).as(update.describe()).isTrue();
            long pid = env.task(id).orElseThrow().pid();
            assertThat(Files.readString(cgroupFile(pid, "pids", "pids.max")).strip())
                    .isEqualTo("4096");
            assertThat(Files.readString(cgroupFile(pid, "cpu", "cpu.cfs_quota_us"))
                            .strip())
                    .isEqualTo("200000");
            assertThat(jurunc(root, "state", id).stdout())
                    .as("still running after the update")
                    .contains("\"status\" : \"running\"");
            CommandResult refused = jurunc(root, "update", "--cpuset-cpus", "0", id);
            assertThat(refused.succeeded()).as(refused.describe()).isFalse();
            assertThat(refused.stderr()).contains("fixed at boot");
            // exec reaches the guest after pause/resume and update (docs/runtime.md, "exec into a microVM")
            CommandResult exec = env.ctr().ctr("tasks", "exec", "--exec-id", "x1", id, "/bin/busybox", "true");
            assertThat(exec.succeeded()).as(exec.describe()).isTrue();
            // `events` streams one stats event per interval until the container stops, then exits 0
            Process events = new ProcessBuilder(
                            Jurunc.cli().toString(), "--root", root.toString(), "events", "--interval", "200ms", id)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(events.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            java.util.List<String> seen = new java.util.ArrayList<>();
            seen.add(lines.readLine());
            seen.add(lines.readLine());
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30))).isPresent();
            for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                seen.add(l);
            }
            assertThat(events.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the stream ends")
                    .isTrue();
            assertThat(events.exitValue()).isZero();
            assertThat(seen)
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(l -> assertThat(l).startsWith("{\"type\":\"stats\",\"id\":\"" + id + "\""));
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();
            assertThat(Leftovers.system().find(env.scope(id, "runc"))).isEmpty();
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    @Test
    void aMicroVmPausesResumesAndReportsMetricsThroughJuruncsShim() throws IOException {
        String id = newId("shim");
        CommandResult run = env.ctr().run(env.shimRun("hello", id, SPIN).withFlag("--detach"));
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        try {
            env.awaitTask(id, "RUNNING", Duration.ofSeconds(60)).orElseThrow(() -> new AssertionError(env.task(id)));
            CommandResult metrics = env.ctr().ctr("tasks", "metrics", id);
            assertThat(metrics.stdout()).as(metrics.describe()).contains("memory.usage", "pids.current");
            pauseCountResume(
                    id,
                    "jurunc shim",
                    Path.of("/run/containerd/jurunc", env.ctr().namespace(), id));
            // a kill of a paused VM thaws it first, so it dies
            env.ctr().ctr("tasks", "pause", id).requireSuccess();
            env.killAndDelete(id, "jurunc");
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    @Test
    void aPlainContainersPauseAndExecGoToRunc() {
        for (boolean shim : new boolean[] {false, true}) {
            String id = newId(shim ? "plain-shim" : "plain-cli");
            String[] sleep = {"/bin/busybox", "sleep", "600"};
            RunSpec spec = shim ? env.shimRun("plain", id, sleep) : viaCli("plain", id, sleep);
            CommandResult run = env.ctr().run(spec.withFlag("--detach"));
            assertThat(run.succeeded()).as(run.describe()).isTrue();
            try {
                env.awaitTask(id, "RUNNING", Duration.ofSeconds(30)).orElseThrow();
                env.ctr().ctr("tasks", "pause", id).requireSuccess();
                assertThat(env.task(id).orElseThrow().status()).isEqualTo("PAUSED");
                env.ctr().ctr("tasks", "resume", id).requireSuccess();
                assertThat(env.task(id).orElseThrow().status()).isEqualTo("RUNNING");
                if (!shim) { // jurunc's shim does not implement Exec yet
                    CommandResult exec = env.ctr()
                            .ctr("tasks", "exec", "--exec-id", "e1", id, "/bin/busybox", "echo", "exec via runc");
                    assertThat(exec.succeeded()).as(exec.describe()).isTrue();
                    assertThat(exec.stdout()).contains("exec via runc");
                }
                CommandResult metrics = env.ctr().ctr("tasks", "metrics", id);
                assertThat(metrics.succeeded()).as(metrics.describe()).isTrue();
                env.killAndDelete(id, "runc");
            } finally {
                env.ctr().forceRemove(id);
            }
        }
    }

    /** A plain sleep between two readings (not an assertion on time). */
    private static final class PrivateSleep {
        static void of(Duration d) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
