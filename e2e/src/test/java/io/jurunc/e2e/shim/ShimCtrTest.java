package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.ProcFs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr run --runtime io.containerd.jurunc.v2}: containerd 1.6 starts {@code containerd-shim-jurunc-v2},
 * which runs a Linux microVM through jurunc and a plain container through runc; several containers at once;
 * a containerd restart while containers run.
 */
@E2E
class ShimCtrTest extends OnShimEnvironment {
    static String newId(String what) {
        return "e2e-shim-" + what + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    @Test
    void aPlainContainerRunsThroughRuncBehindTheShim() {
        String id = newId("plain");
        CommandResult run = env.ctr().run(env.shimRun("plain", id).withRm());
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("hello from runc via jurunc");
        assertThat(Leftovers.system().find(env.scope(id, "runc")))
                .as(run.describe())
                .isEmpty();
    }

    @Test
    void oneResidentNodeDaemonServesEveryContainerAndStopsCleanly() {
        String first = newId("node1");
        CommandResult run = env.ctr().run(env.shimRun("plain", first).withRm());
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        List<Long> daemons = env.shimDaemons();
        assertThat(daemons).as("the node daemon outlives its containers").hasSize(1);
        Path socket = env.nodeSocket(env.ctr().namespace());
        assertThat(socket).exists();
        String second = newId("node2");
        CommandResult again = env.ctr()
                .run(env.shimRun("plain", second)
                        .withRm()
                        .withFlag("--annotation", "io.containerd.runc.v2.group=other"));
        assertThat(again.succeeded()).as(again.describe()).isTrue();
        assertThat(env.shimDaemons()).as("the same daemon serves another group").isEqualTo(daemons);
        assertThat(Leftovers.system().find(env.scope(second, "runc")))
                .as(again.describe())
                .isEmpty();

        env.stopShimDaemons();
        assertThat(env.shimDaemons()).isEmpty();
        assertThat(socket).as("socket removed").doesNotExist();
        assertThat(Path.of(socket + ".lock")).as("start lock removed").doesNotExist();
        assertThat(Path.of(socket + ".log")).as("daemon log removed").doesNotExist();
        String third = newId("node3");
        CommandResult restarted = env.ctr().run(env.shimRun("plain", third).withRm());
        assertThat(restarted.succeeded())
                .as("a new daemon after a clean stop: " + restarted.describe())
                .isTrue();
        assertThat(env.shimDaemons()).hasSize(1).doesNotContainAnyElementsOf(daemons);
    }

    /** {@code /run/containerd/s/<sha256(address/namespace/group)>}; the node daemon's group is {@code jurunc-node}. */
    static Path shimSocket(String address, String namespace, String group) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((address + "/" + namespace + "/" + group)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Path.of("/run/containerd/s", java.util.HexFormat.of().formatHex(d));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLinuxMicroVmRunsThroughJuruncBehindTheShim() {
        String id = newId("vm");
        CommandResult run = env.ctr().run(env.shimRun("hello", id).withRm().withTimeout(Duration.ofSeconds(120)));
        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("hello from a jurunc microVM");
        assertThat(Leftovers.system().find(env.scope(id, "jurunc")))
                .as(run.describe())
                .isEmpty();
    }

    /** The guest command's exit status is {@code ctr run}'s through jurunc's shim too. */
    @Test
    void theGuestCommandsExitStatusIsCtrRunsExitStatus() {
        for (int status : List.of(3, 0)) {
            String id = newId("exit" + status);
            CommandResult run = env.ctr()
                    .run(env.shimRun("hello", id, "/bin/busybox", "sh", "-c", "exit " + status)
                            .withRm()
                            .withTimeout(Duration.ofSeconds(120)));
            assertThat(run.exitCode()).as(run.describe()).isEqualTo(status);
            assertThat(Leftovers.system().find(env.scope(id, "jurunc")))
                    .as(run.describe())
                    .isEmpty();
        }
    }

    /**
     * {@code ctr run -t} into a Linux microVM through jurunc's shim (ctr on a terminal of its own): the
     * application's stdin and stdout are a terminal (the guest's console, which the kernel opened before
     * devtmpfs was mounted, so {@code tty} cannot name it: the test asks {@code test -t} and reads the fd's
     * link), its output and exit status come back.
     */
    @Test
    void ctrRunWithATerminalIntoAMicroVm() {
        String id = newId("tty");
        CommandResult run = env.ctr()
                .runInTerminal(env.shimRun(
                                "hello",
                                id,
                                "/bin/busybox",
                                "sh",
                                "-c",
                                "test -t 0 && test -t 1 && echo stdio-is-a-tty; /bin/busybox readlink /proc/self/fd/0;"
                                        + " echo hi-from-tty; exit 3")
                        .withFlag("-t")
                        .withRm()
                        .withTimeout(Duration.ofSeconds(120)));
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
        assertThat(run.stdout()).as(run.describe()).contains("stdio-is-a-tty", "/dev/console", "hi-from-tty");
        assertThat(Leftovers.system().find(env.scope(id, "jurunc")))
                .as(run.describe())
                .isEmpty();
    }

    /**
     * ctr's terminal is 100 x 30: once the task started, ctr sends its size (the shim's ResizePty for the
     * init process, as on every SIGWINCH later), which resizes the host pty and tells the guest's init; it
     * sets the size on the console the application holds: {@code stty size} in the VM goes from {@code 0 0}
     * to {@code 30 100}. (containerd has no {@code ctr task resize}.)
     */
    @Test
    void theTerminalsSizeReachesTheMicroVmsConsole() {
        String id = newId("ttysize");
        CommandResult run = env.ctr()
                .runInTerminal(
                        env.shimRun(
                                        "hello",
                                        id,
                                        "/bin/busybox",
                                        "sh",
                                        "-c",
                                        "i=0; while [ \"$(/bin/busybox stty size)\" != '30 100' ] && [ $i -lt 300 ];"
                                                + " do /bin/busybox sleep 0.2; i=$((i+1)); done;"
                                                + " echo size-after=$(/bin/busybox stty size) waited=$i")
                                .withFlag("-t")
                                .withRm()
                                .withTimeout(Duration.ofSeconds(150)),
                        100,
                        30);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe()).contains("size-after=30 100");
        assertThat(Leftovers.system().find(env.scope(id, "jurunc")))
                .as(run.describe())
                .isEmpty();
    }

    @Test
    void containersRunInParallelAndKillAndDeleteLeaveNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<CommandResult>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = newId("par" + i);
            ids.add(id);
            starts.add(CompletableFuture.supplyAsync(() -> env.ctr()
                    .run(env.shimRun("plain", id, "/bin/busybox", "sleep", "600")
                            .withFlag("--detach"))));
        }
        String vm = newId("parvm");
        ids.add(vm);
        starts.add(CompletableFuture.supplyAsync(() -> env.ctr()
                .run(env.shimRun("hello", vm, "/bin/busybox", "sleep", "600")
                        .withFlag("--detach")
                        .withTimeout(Duration.ofSeconds(120)))));
        for (CompletableFuture<CommandResult> s : starts) {
            CommandResult r = s.join();
            assertThat(r.succeeded()).as(r.describe()).isTrue();
        }
        try {
            for (String id : ids) {
                assertThat(env.awaitTask(id, "RUNNING", Duration.ofSeconds(60)))
                        .as("task " + id)
                        .isPresent();
            }
            long vmPid = env.task(vm).orElseThrow().pid();
            assertThat(ProcFs.system().monitorOf(vmPid).orElseThrow().argv().getFirst())
                    .contains("qemu-system");
            // The sandbox init is pid 1 of its own pid namespace (ctr's spec has one), forked by the sandbox
            // helper and re-parented to the shim daemon, which reaps it by pid; the monitor is its child.
            Path proc = Path.of("/proc", Long.toString(vmPid));
            String nspid = java.nio.file.Files.readAllLines(proc.resolve("status")).stream()
                    .filter(l -> l.startsWith("NSpid:"))
                    .findFirst()
                    .orElseThrow()
                    .substring(6)
                    .trim();
            assertThat(nspid.split("\\s+")).as("NSpid").containsExactly(Long.toString(vmPid), "1");
            assertThat(java.nio.file.Files.readSymbolicLink(proc.resolve("ns/pid")))
                    .isNotEqualTo(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/pid")));
            for (String id : ids) {
                // the sandbox init forwards SIGTERM to QEMU, which stops; the others get SIGKILL
                env.ctr().kill(id, id.equals(vm) ? "SIGTERM" : "SIGKILL").requireSuccess();
            }
            for (String id : ids) {
                assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30)))
                        .as("task " + id + " stopped")
                        .isPresent();
                env.ctr().deleteTask(id, false).requireSuccess();
                env.ctr().deleteContainer(id).requireSuccess();
            }
            for (String id : ids) {
                assertThat(Leftovers.system().find(env.scope(id, id.equals(vm) ? "jurunc" : "runc")))
                        .isEmpty();
            }
        } finally {
            ids.forEach(env.ctr()::forceRemove);
        }
    }

    @Test
    void tasksSurviveAContainerdRestartAndAreStillManaged() {
        String id = newId("restart");
        CommandResult started = env.ctr()
                .run(env.shimRun("plain", id, "/bin/busybox", "sleep", "600").withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            long pid = env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow()
                    .pid();
            List<Long> daemons = env.shimDaemons();
            assertThat(daemons).hasSize(1);

            env.restartContainerd();

            Ctr.TaskRow after = env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("task not RUNNING after restart: " + env.task(id)));
            assertThat(after.pid()).isEqualTo(pid);
            assertThat(env.shimDaemons()).as("the same daemon serves it").isEqualTo(daemons);
            env.killAndDelete(id, "runc");
        } finally {
            env.ctr().forceRemove(id);
        }
    }
}
