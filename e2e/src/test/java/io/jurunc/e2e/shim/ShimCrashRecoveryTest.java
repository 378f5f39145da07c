package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.ProcFs;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Crash safety of the node shim daemon (docs/shim.md, "Crash safety"): containerd 1.6 keeps its
 * connections to {@code jurunc-shim-holder} while the daemon JVM behind it is killed with SIGKILL; the
 * holder restarts the JVM, which adopts the tasks from its journal. Mid-run: tasks stay RUNNING with the
 * same pids and are still killed and deleted through {@code ctr}, with their exit statuses; a task whose
 * process exits while no daemon JVM runs has its exit reported after the recovery. Mid-create: the next
 * daemon JVM undoes the create in flight and refuses the copy the holder sends again, so {@code ctr run}
 * fails and containerd cleans up as after any failed create. Nothing is left behind.
 */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimCrashRecoveryTest {
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private ShimEnvironment env;
    private Spawned events;
    private Path work;

    @BeforeAll
    void setUp() throws IOException {
        env = ShimEnvironment.start("plain", "hello");
        work = Files.createTempDirectory("jurunc-e2e-crash-");
        events = new RealHost()
                .start(
                        Command.of(
                                "ctr", "--address", env.containerd().address().toString(), "events"),
                        work.resolve("events.out"),
                        work.resolve("events.err"));
    }

    @AfterAll
    void tearDown() throws IOException {
        try {
            if (env != null) {
                Path socket = env.nodeSocket(env.ctr().namespace());
                env.stopShimDaemons();
                assertThat(holders())
                        .as("holder gone after the daemon's clean stop")
                        .isEmpty();
                assertThat(Path.of(socket + ".d")).as("holder state removed").doesNotExist();
                assertThat(socket).doesNotExist();
                assertThat(Path.of(socket + ".log")).as("daemon log removed").doesNotExist();
                assertThat(Path.of(socket + ".lock")).as("start lock removed").doesNotExist();
                env.close();
            }
        } finally {
            if (events != null) {
                events.close();
            }
            if (work != null) {
                io.jurunc.e2e.support.FileTrees.deleteRecursively(work);
            }
        }
    }

    /** The node daemon's JVM (the holder's command line does not name the shim's main class). */
    private long daemon() {
        List<Long> d = env.shimDaemons();
        assertThat(d).as("one daemon JVM").hasSize(1);
        return d.getFirst();
    }

    private List<Long> holders() {
        Path socket = env.nodeSocket(env.ctr().namespace());
        return ProcFs.system().processes().stream()
                .filter(p -> !p.argv().isEmpty()
                        && p.argv().getFirst().endsWith("jurunc-shim-holder")
                        && p.argvContains(socket.toString()))
                .map(ProcFs.Proc::pid)
                .toList();
    }

    private static void signal(String signal, long pid) {
        new RealHost().run(Command.of("kill", "-" + signal, Long.toString(pid))).requireSuccess();
    }

    /** Dead: gone, or a zombie its (stopped) parent has not reaped yet. */
    private static void awaitDead(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return;
                }
            } catch (IOException gone) {
                return;
            }
            Waits.sleep(Duration.ofMillis(20));
        }
        throw new AssertionError("pid " + pid + " still runs after SIGKILL");
    }

    /** The daemon JVM the holder started after {@code dead}, once it has adopted the tasks (its log after {@code from}). */
    private long awaitNewDaemon(long dead, int from) {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> d = env.shimDaemons();
            if (d.size() == 1 && d.getFirst() != dead && logSince(from).contains("task(s) adopted")) {
                return d.getFirst();
            }
            Waits.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("no daemon JVM adopted the tasks after " + dead + " was killed; log:\n" + daemonLog());
    }

    private String daemonLog() {
        try {
            Path log = Path.of(env.nodeSocket(env.ctr().namespace()) + ".log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String logSince(int from) {
        String log = daemonLog();
        return log.length() >= from ? log.substring(from) : log;
    }

    private String events() {
        try {
            return Files.readString(events.stdoutFile());
        } catch (IOException e) {
            return "";
        }
    }

    /** The /tasks/exit event of {@code id}, once published. */
    private Optional<String> exitEvent(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = events().lines()
                    .filter(l -> l.contains("/tasks/exit") && l.contains(id))
                    .findFirst();
            if (line.isPresent()) {
                return line;
            }
            Waits.sleep(Duration.ofMillis(100));
        }
        return Optional.empty();
    }

    private String runDetached(String image, String id) {
        CommandResult r = env.ctr()
                .run(env.shimRun(image, id, "/bin/busybox", "sleep", "600")
                        .withFlag("--detach")
                        .withTimeout(Duration.ofSeconds(120)));
        assertThat(r.succeeded()).as(r.describe()).isTrue();
        return Long.toString(env.awaitTask(id, "RUNNING", Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("task " + id + " not RUNNING: " + env.task(id)))
                .pid());
    }

    private void killAndDelete(String id, String backend) {
        env.ctr().kill(id, "SIGKILL").requireSuccess();
        assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30)))
                .as(id + " stopped")
                .isPresent();
        CommandResult deleted = env.ctr().deleteTask(id, false);
        assertThat(deleted.succeeded()).as(deleted.describe()).isTrue();
        assertThat(deleted.stderr())
                .as("ctr reports the exit status: " + deleted.describe())
                .contains("exit code 137");
        assertThat(exitEvent(id))
                .as("TaskExit of " + id)
                .hasValueSatisfying(l -> assertThat(l).contains("137"));
        env.ctr().deleteContainer(id).requireSuccess();
        assertThat(Leftovers.system().find(env.scope(id, backend))).isEmpty();
    }

    @Test
    void aSigkillOfTheDaemonMidRunLosesNoTask() {
        String a = ShimCtrTest.newId("crash-a");
        String b = ShimCtrTest.newId("crash-b");
        String c = ShimCtrTest.newId("crash-c");
        List<String> ids = List.of(a, b, c);
        try {
            String pidA = runDetached("plain", a);
            String pidB = runDetached("plain", b);
            String pidC = runDetached("plain", c);
            long jvm = daemon();
            int from = daemonLog().length();
            long holder = ProcessHandle.of(jvm)
                    .flatMap(ProcessHandle::parent)
                    .orElseThrow()
                    .pid();
            assertThat(holders()).as("the daemon JVM runs under its holder").containsExactly(holder);

            // The holder is held still so that c's process exits while no daemon JVM runs at all.
            signal("STOP", holder);
            try {
                signal("KILL", jvm);
                awaitDead(jvm);
                signal("KILL", Long.parseLong(pidC));
            } finally {
                signal("CONT", holder);
            }
            long next = awaitNewDaemon(jvm, from);
            assertThat(ProcessHandle.of(next).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                    .contains(holder);
            assertThat(logSince(from)).contains("3 task(s) adopted");

            Ctr.TaskRow rowA =
                    env.awaitTask(a, "RUNNING", Duration.ofSeconds(10)).orElseThrow();
            Ctr.TaskRow rowB =
                    env.awaitTask(b, "RUNNING", Duration.ofSeconds(10)).orElseThrow();
            assertThat(Long.toString(rowA.pid())).isEqualTo(pidA);
            assertThat(Long.toString(rowB.pid())).isEqualTo(pidB);
            assertThat(ProcessHandle.of(Long.parseLong(pidA)).map(ProcessHandle::isAlive))
                    .contains(true);
            assertThat(events().lines().filter(l -> l.contains("/tasks/exit") || l.contains("/tasks/delete")))
                    .as("containerd did not take the shim for dead")
                    .noneMatch(l -> l.contains(a) || l.contains(b));

            assertThat(env.awaitTask(c, "STOPPED", Duration.ofSeconds(30)))
                    .as("c's exit while no daemon ran")
                    .isPresent();
            assertThat(exitEvent(c))
                    .as("TaskExit of c, published after the recovery")
                    .hasValueSatisfying(l -> assertThat(l).contains("137"));
            CommandResult deletedC = env.ctr().deleteTask(c, false);
            assertThat(deletedC.succeeded()).as(deletedC.describe()).isTrue();
            assertThat(deletedC.stderr()).as(deletedC.describe()).contains("exit code 137");
            env.ctr().deleteContainer(c).requireSuccess();
            assertThat(Leftovers.system().find(env.scope(c, "runc"))).isEmpty();

            killAndDelete(a, "runc");
            killAndDelete(b, "runc");
        } finally {
            ids.forEach(env.ctr()::forceRemove);
        }
    }

    @Test
    void aSigkillOfTheDaemonMidCreateLeavesNothingBehind() {
        String warm = ShimCtrTest.newId("crash-warm");
        String d = ShimCtrTest.newId("crash-create");
        try {
            runDetached("plain", warm); // the node daemon serves before the create that is cut
            long jvm = daemon();
            int from = daemonLog().length();
            Path journal = Path.of(env.nodeSocket(env.ctr().namespace()) + ".d", "tasks", d);
            CompletableFuture<CommandResult> run = CompletableFuture.supplyAsync(() -> env.ctr()
                    .run(env.shimRun("plain", d, "/bin/busybox", "sleep", "600")
                            .withFlag("--detach")
                            .withTimeout(Duration.ofSeconds(180))));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!creating(journal) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(creating(journal)).as("create of " + d + " in progress").isTrue();
            signal("KILL", jvm);

            CommandResult r = run.join();
            String log = logSince(from);
            assertThat(r.succeeded())
                    .as("the create sent again is refused: " + r.describe() + "\ndaemon log:\n" + log)
                    .isFalse();
            assertThat(r.stderr()).as(r.describe()).contains("the shim daemon died while creating " + d);
            awaitNewDaemon(jvm, from);
            assertThat(logSince(from)).contains("task " + d + " was being created when the daemon died: undoing it");
            assertThat(env.task(d)).as("no task left for " + d).isEmpty();
            env.ctr().deleteContainer(d).requireSuccess();
            assertThat(Leftovers.system().find(env.scope(d, "runc"))).isEmpty();

            assertThat(env.awaitTask(warm, "RUNNING", Duration.ofSeconds(10))).isPresent();
            killAndDelete(warm, "runc");
            // the id is free again: a new create of it succeeds
            runDetached("plain", d);
            killAndDelete(d, "runc");
        } finally {
            env.ctr().forceRemove(d);
            env.ctr().forceRemove(warm);
        }
    }

    private static boolean creating(Path journal) {
        try {
            return Files.readString(journal).contains("phase=CREATING");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aMicroVmSurvivesASigkillOfTheDaemon() {
        String vm = ShimCtrTest.newId("crash-vm");
        try {
            String pid = runDetached("hello", vm);
            assertThat(ProcFs.system()
                            .monitorOf(Long.parseLong(pid))
                            .orElseThrow()
                            .argv()
                            .getFirst())
                    .contains("qemu-system");
            long jvm = daemon();
            int from = daemonLog().length();
            signal("KILL", jvm);
            awaitNewDaemon(jvm, from);
            Ctr.TaskRow row =
                    env.awaitTask(vm, "RUNNING", Duration.ofSeconds(10)).orElseThrow();
            assertThat(Long.toString(row.pid())).isEqualTo(pid);
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive))
                    .contains(true);
            killAndDelete(vm, "jurunc");
        } finally {
            env.ctr().forceRemove(vm);
        }
    }
}
