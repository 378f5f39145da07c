package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.ExecChecks;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr task exec} through jurunc's shim ({@code --runtime io.containerd.jurunc.v2}): into a
 * Linux microVM (the in-process backend starts the exec relay) and into a plain container (runc exec),
 * with and without a terminal ({@code -t}).
 */
@E2E
class ShimExecTest extends OnShimEnvironment {
    @Test
    void ctrTaskExecIntoAMicroVmThroughJuruncsShim() {
        String id = ShimCtrTest.newId("exec");
        ExecChecks.againstASleepingMicroVm(
                env.ctr(), env.shimRun("hello", id, "/bin/busybox", "sleep", "600"), running -> {});
    }

    @Test
    void ctrTaskExecIntoAPlainContainerGoesToRunc() {
        String id = ShimCtrTest.newId("plainexec");
        CommandResult started = env.ctr()
                .run(env.shimRun("plain", id, "/bin/busybox", "sleep", "600").withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            assertThat(env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))).isPresent();
            CommandResult exec = env.ctr()
                    .ctr(
                            Duration.ofSeconds(60),
                            "task",
                            "exec",
                            "--exec-id",
                            "p1",
                            id,
                            "/bin/busybox",
                            "sh",
                            "-c",
                            "echo plain-exec; exit 4");
            assertThat(exec.exitCode()).as(exec.describe()).isEqualTo(4);
            assertThat(exec.stdout()).contains("plain-exec");
            ExecChecks.terminalAgainst(env.ctr(), id, x -> " task: " + env.task(x));
        } finally {
            env.ctr().forceRemove(id);
        }
    }
}
