package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.OnE2eEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr task exec} into a Linux microVM through containerd's runc shim ({@code --runc-binary
 * jurunc}): the shim runs {@code jurunc exec --process F --detach --pid-file P}, which leaves the exec
 * relay behind as the exec'd process (docs/runtime.md, "exec into a microVM").
 */
@E2E
class ExecTest extends OnE2eEnvironment {

    ExecTest() {
        super(() -> E2eEnvironment.start("hello"));
    }

    @Test
    void ctrTaskExecRunsCommandsInTheGuestWithTheirOutputExitCodeEnvAndCwd() {
        String id = E2eEnvironment.newId("exec");
        ExecChecks.againstASleepingMicroVm(
                env.ctr(), env.juruncRun("hello", id, "/bin/busybox", "sleep", "600"), running -> {
                    env.ctr().kill(running, "SIGKILL").requireSuccess();
                    assertThat(env.awaitTask(running, "STOPPED", Duration.ofSeconds(30)))
                            .isPresent();
                    CommandResult stopped =
                            env.ctr().ctr("task", "exec", "--exec-id", "late", running, "/bin/busybox", "true");
                    assertThat(stopped.exitCode()).as(stopped.describe()).isNotZero();
                });
    }
}
