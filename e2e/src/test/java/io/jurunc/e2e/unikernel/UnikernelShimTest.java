package io.jurunc.e2e.unikernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.OnE2eEnvironment;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.ServiceRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unikernels through jurunc's own shim ({@code ctr run --runtime io.containerd.jurunc.v2}): Unikraft's
 * httpreply answers HTTP from the host in a prepared netns, and a Solo5 spt unikernel's exit status
 * reaches {@code ctr run}.
 */
@E2E
class UnikernelShimTest extends OnE2eEnvironment {
    static final String RUNTIME = "io.containerd.jurunc.v2";

    UnikernelShimTest() {
        super(() -> E2eEnvironment.startWithShim(List.of(
                UnikernelImages.httpreply("uk-http-0163", "0.16.3", "0.16.3"),
                UnikernelImages.solo5("spt-hello", "test_hello", "spt", "mirage", "through", "the", "shim"),
                UnikernelImages.solo5("spt-net", "test_net", "spt", "mirage", "verbose"))));
    }

    @Test
    void unikraftAnswersHttpThroughTheShim() {
        try (PodNetwork pod = PodNetwork.create(env.host())) {
            String id = E2eEnvironment.newId("shim-uk");
            RunSpec spec = RunSpec.of(env.image("uk-http-0163"), id)
                    .withRuntime(RUNTIME)
                    .withRm()
                    .inNetns(pod.netnsPath())
                    .withTimeout(Duration.ofMinutes(2));
            ServiceRun run = ServiceRun.at(env, spec, pod, pod.ip());
            try {
                HttpProbe.Answer a = UnikernelUnikraftHttpTest.itWorks(run);
                System.out.printf(
                        "measure: unikraft httpreply through jurunc's shim: first HTTP answer %d ms%n",
                        a.waited().toMillis());
                assertThat(run.monitorArgs()).contains("qemu-system-x86_64", "netdev.ip=" + pod.ip());
                env.ctr().kill(id, "SIGTERM").requireSuccess();
                assertThat(run.ctrRun().waitFor(Duration.ofSeconds(60))).isNotEqualTo(-1);
                assertThat(pod.taps())
                        .as("the tap is removed from the surviving netns")
                        .isEmpty();
                assertThat(env.task(id)).isEmpty();
            } finally {
                run.stop();
            }
        }
    }

    @Test
    void solo5ExitStatusesReachCtrThroughTheShim() {
        CommandResult ok = env.ctr()
                .run(RunSpec.of(env.image("spt-hello"), E2eEnvironment.newId("shim-spt"))
                        .withRuntime(RUNTIME)
                        .withRm()
                        .withTimeout(Duration.ofSeconds(60)));
        assertThat(ok.stdout()).as(ok.describe()).contains("Command line is: 'through the shim'");
        assertThat(ok.exitCode()).as(ok.describe()).isZero();

        try (PodNetwork pod = PodNetwork.create(env.host(), UnikernelImages.SOLO5_NET_PREFIX)) {
            CommandResult bad = env.ctr()
                    .run(RunSpec.of(env.image("spt-net"), E2eEnvironment.newId("shim-spt"), "bogus")
                            .withRuntime(RUNTIME)
                            .withRm()
                            .inNetns(pod.netnsPath())
                            .withTimeout(Duration.ofSeconds(60)));
            assertThat(bad.stdout()).as(bad.describe()).contains("Error in command line");
            assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(1);
        }
    }
}
