package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.ProcFs;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Linux microVMs through {@code ctr run --runc-binary jurunc}: output, env and args, kill and delete. */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxMicroVmTest {

    private E2eEnvironment env;
    private final Leftovers leftovers = Leftovers.system();

    @BeforeAll
    void setUp() {
        env = E2eEnvironment.start("hello");
    }

    @AfterAll
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aLinuxMicroVmPrintsALineThatCtrShows() {
        String id = E2eEnvironment.newId("hello");
        CommandResult run = env.ctr().run(env.juruncRun("hello", id).withRm());

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("hello from a jurunc microVM");
        assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
    }

    @Test
    void envAndArgsReachTheGuestApplication() {
        String id = E2eEnvironment.newId("env");
        CommandResult run = env.ctr().run(env.juruncRun("hello", id,
                        "/bin/busybox", "sh", "-c", "echo \"FOO=$FOO BAR=$BAR args:$* kernel=$(/bin/busybox uname -r)\"", "sh", "one", "two words")
                .withEnv("FOO=bar").withEnv("BAR=with space").withRm());

        assertThat(run.succeeded()).as(run.describe()).isTrue();
        assertThat(run.stdout()).as(run.describe()).contains("FOO=bar BAR=with space args:one two words kernel=");
        assertThat(run.stdout()).as("the guest runs its own kernel, not the host's")
                .doesNotContain("kernel=" + System.getProperty("os.version"));
        assertThat(leftovers.find(env.scope(id))).as(run.describe()).isEmpty();
    }

    @Test
    void theMonitorIsTheContainersProcessAndKillAndDeleteLeaveNothing() {
        String id = E2eEnvironment.newId("kill");
        CommandResult started = env.ctr().run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600")
                .withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            E2eEnvironment.TaskRow task = env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("task " + id + " not RUNNING: " + env.task(id)));
            ProcFs.Proc monitor = ProcFs.system().process(task.pid())
                    .orElseThrow(() -> new AssertionError("no process " + task.pid()));
            assertThat(monitor.argv().getFirst()).as("the task's pid is the monitor: " + monitor.commandLine())
                    .contains("qemu-system");
            assertThat(Files.isDirectory(env.runtimeStateDir(id))).as("state dir while running").isTrue();
            Leftovers.NetnsRecord netns = leftovers.recordNetns(task.pid()).orElseThrow();

            env.ctr().kill(id, "SIGTERM").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30)))
                    .as("SIGTERM stops the VM: " + env.task(id)).isPresent();
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();

            assertThat(env.task(id)).isEmpty();
            assertThat(leftovers.find(env.scope(id).withNetns(netns).withProcess(monitor))).isEmpty();
        } finally {
            env.ctr().forceRemove(id);
        }
    }

    @Test
    void sigkillStopsTheVmToo() {
        String id = E2eEnvironment.newId("sigkill");
        CommandResult started = env.ctr().run(env.juruncRun("hello", id, "/bin/busybox", "sleep", "600")
                .withFlag("--detach"));
        assertThat(started.succeeded()).as(started.describe()).isTrue();
        try {
            assertThat(env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))).isPresent();
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(env.awaitTask(id, "STOPPED", Duration.ofSeconds(30))).isPresent();
            env.ctr().deleteTask(id, false).requireSuccess();
            env.ctr().deleteContainer(id).requireSuccess();
            assertThat(leftovers.find(env.scope(id))).isEmpty();
        } finally {
            env.ctr().forceRemove(id);
        }
    }
}
