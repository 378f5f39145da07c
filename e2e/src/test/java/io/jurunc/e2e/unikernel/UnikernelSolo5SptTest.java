package io.jurunc.e2e.unikernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Unikernels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Solo5 unikernels on the spt tender (guest type mirage), through containerd's runc shim and the jurunc
 * CLI: the container's process is {@code solo5-spt}, its exit status is the unikernel's.
 */
@E2E
class UnikernelSolo5SptTest extends OnE2eEnvironment {

    private final Leftovers leftovers = Leftovers.system();

    UnikernelSolo5SptTest() {
        super(() -> E2eEnvironment.start(List.of(
                UnikernelImages.solo5("spt-hello", "test_hello", "spt", "mirage", "hello", "from", "solo5"),
                UnikernelImages.solo5("spt-net", "test_net", "spt", "mirage", "verbose"),
                UnikernelImages.solo5("spt-blk", "test_blk", "spt", "mirage"))));
    }

    @BeforeAll
    void setUp() {
        Unikernels.requireTender(env.host(), "solo5-spt");
    }

    @Test
    void helloShowsTheContainersCommandLineAndExitsZero() {
        String id = E2eEnvironment.newId("spt-hello");
        CommandResult r = env.ctr().run(env.juruncRun("spt-hello", id).withRm().withTimeout(Duration.ofSeconds(60)));
        assertThat(r.stdout())
                .as(r.describe())
                .contains("Hello, World", "Command line is: 'hello from solo5'", "solo5_exit(0) called");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(leftovers.find(env.scope(id))).isEmpty();
    }

    @Test
    void theUnikernelsExitStatusIsTheContainers() {
        // test_net exits with SOLO5_EXIT_FAILURE (1) on a command line it does not know; its manifest's
        // network device must be attached for the tender to start it at all, hence the prepared netns.
        try (PodNetwork pod = PodNetwork.create(env.host(), UnikernelImages.SOLO5_NET_PREFIX)) {
            String id = E2eEnvironment.newId("spt-status");
            RunSpec spec = env.juruncRun("spt-net", id, "bogus")
                    .withRm()
                    .inNetns(pod.netnsPath())
                    .withTimeout(Duration.ofSeconds(60));
            CommandResult r = env.ctr().run(spec);
            assertThat(r.stdout()).as(r.describe()).contains("Error in command line", "solo5_exit(1) called");
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
            assertThat(pod.taps()).as("the tap is gone with the container").isEmpty();
            assertThat(leftovers.find(env.scope(id))).isEmpty();
        }
    }

    @Test
    void netAnswersPingThroughTheTap() {
        Solo5Probe.netAnswersPingThroughTheTap(env, "spt-net", Duration.ofSeconds(30));
    }

    @Test
    void blkPassesWithABlockImageFromTheContainerImage() {
        String id = E2eEnvironment.newId("spt-blk");
        CommandResult r = env.ctr().run(env.juruncRun("spt-blk", id).withRm().withTimeout(Duration.ofSeconds(60)));
        assertThat(r.stdout()).as(r.describe()).contains("SUCCESS", "solo5_exit(0) called");
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }
}
