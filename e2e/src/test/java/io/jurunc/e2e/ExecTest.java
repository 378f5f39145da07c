package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ctr task exec} into a Linux microVM through containerd's runc shim ({@code --runc-binary
 * jurunc}): the shim runs {@code jurunc exec --process F --detach --pid-file P}, which leaves the exec
 * relay behind as the exec'd process (docs/runtime.md, "exec into a microVM").
 */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecTest {
    private E2eEnvironment env;

    @BeforeAll
    void setUp() {
        env = E2eEnvironment.start("hello");
    }

    @AfterAll
    void tearDown() {
        if (env != null) env.close();
    }

    @Test
    void ctrTaskExecRunsCommandsInTheGuestWithTheirOutputExitCodeEnvAndCwd() {
        String id = E2eEnvironment.newId("exec");
        CommandResult started = env.ctr()
                .run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600")
                        .withEnv("FOO=bar")
                        .withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            assertThat(env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))).isPresent();
            ExecChecks.allAgainst(env.ctr(), id, x -> " task: " + env.task(x));
            ExecChecks.terminalAgainst(env.ctr(), id, x -> " task: " + env.task(x));
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30))).isPresent();
            CommandResult stopped = env.ctr().ctr("task", "exec", "--exec-id", "late", id, "/bin/busybox", "true");
            assertThat(stopped.exitCode()).as(stopped.describe()).isNotZero();
        } finally {
            env.ctr().forceRemove(id);
        }
    }
}
