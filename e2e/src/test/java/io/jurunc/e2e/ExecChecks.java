package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.RunSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code ctr task exec} checks into a running Linux microVM, shared by the runc shim's and
 * jurunc's shim's test classes: stdout, the exit code, the container's env, {@code --cwd}, a missing
 * command, several execs at once. The container runs
 * {@code busybox sleep 600} with {@code FOO=bar} in its env.
 */
public final class ExecChecks {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private ExecChecks() {}

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code ctr task exec -t} (ctr on a terminal of its own, 100 x 30): the command's stdio is a pty
     * ({@code tty} names one under /dev/pts), ctr's window size reached it through {@code ResizePty}
     * with the exec id, its output and exit code come back.
     */
    public static void terminalAgainst(Ctr ctr, String id, Function<String, String> describe) {
        CommandResult tty = ctr.inTerminal(
                LIMIT,
                100,
                30,
                "task",
                "exec",
                "-t",
                "--exec-id",
                "t1",
                id,
                "/bin/busybox",
                "sh",
                "-c",
                "sleep 2; /bin/busybox tty; /bin/busybox stty size; echo in-tty; exit 5");
        assertThat(tty.exitCode()).as(tty.describe() + describe.apply(id)).isEqualTo(5);
        assertThat(tty.stdout()).as(tty.describe()).contains("/dev/pts/", "30 100", "in-tty");
        assertThat(tty.stdout()).as(tty.describe()).doesNotContain("not a tty");
    }

    /**
     * Runs {@code sleeper} (an image's {@code busybox sleep 600}) detached with {@code FOO=bar} in its
     * env, waits until it runs, runs every check and the terminal check against it, then {@code
     * andThen} with its id; removes it in the end.
     */
    public static void againstASleepingMicroVm(Ctr ctr, RunSpec sleeper, Consumer<String> andThen) {
        String id = sleeper.id();
        CommandResult started = ctr.run(sleeper.withEnv("FOO=bar").withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            assertThat(ctr.awaitTask(id, "RUNNING", Duration.ofSeconds(30))).isPresent();
            Function<String, String> describe = x -> " task: " + ctr.task(x);
            allAgainst(ctr, id, describe);
            terminalAgainst(ctr, id, describe);
            andThen.accept(id);
        } finally {
            ctr.forceRemove(id);
        }
    }

    /** Runs every check against the running container {@code id}. */
    public static void allAgainst(Ctr ctr, String id, Function<String, String> describe) {
        CommandResult first = ctr.ctr(
                LIMIT,
                "task",
                "exec",
                "--exec-id",
                "e1",
                "--cwd",
                "/bin",
                id,
                "/bin/busybox",
                "sh",
                "-c",
                "echo out-$FOO; pwd; echo to-stderr >&2; exit 3");
        assertThat(first.exitCode()).as(first.describe() + describe.apply(id)).isEqualTo(3);
        assertThat(first.stdout()).as(first.describe()).contains("out-bar", "/bin");
        assertThat(first.stdout() + first.stderr()).as(first.describe()).contains("to-stderr");

        CommandResult ok =
                ctr.ctr(LIMIT, "task", "exec", "--exec-id", "e2", id, "/bin/busybox", "cat", "/proc/1/cmdline");
        assertThat(ok.exitCode()).as(ok.describe()).isZero();
        assertThat(ok.stdout())
                .as("the exec runs beside the application, pid 1 being our init: " + ok.describe())
                .contains("init");

        CommandResult missing = ctr.ctr(LIMIT, "task", "exec", "--exec-id", "e3", id, "/no/such/program");
        assertThat(missing.exitCode()).as(missing.describe()).isNotZero();
        assertThat(missing.stdout() + missing.stderr()).as(missing.describe()).contains("/no/such/program");

        // two at once: each takes its own exec port
        CompletableFuture<CommandResult> background = CompletableFuture.supplyAsync(() -> ctr.ctr(
                LIMIT, "task", "exec", "--exec-id", "e4", id, "/bin/busybox", "sh", "-c", "sleep 5; echo slow-done"));
        sleep(Duration.ofSeconds(2));
        CommandResult fast = ctr.ctr(LIMIT, "task", "exec", "--exec-id", "e5", id, "/bin/busybox", "echo", "fast");
        assertThat(fast.exitCode()).as(fast.describe()).isZero();
        assertThat(fast.stdout()).contains("fast");
        CommandResult slow = background.join();
        assertThat(slow.exitCode()).as(slow.describe()).isZero();
        assertThat(slow.stdout()).contains("slow-done");
    }
}
