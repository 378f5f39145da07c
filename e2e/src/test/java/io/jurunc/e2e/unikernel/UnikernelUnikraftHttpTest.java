package io.jurunc.e2e.unikernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.OnE2eEnvironment;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.ServiceRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Unikraft's httpreply (0.16.0 and 0.16.3) through containerd's runc shim and the jurunc CLI, answering
 * HTTP on port 8123 from the host, in a CNI network ({@code ctr run --cni}) and in a netns prepared
 * beforehand as CRI does. {@code com.urunc.unikernel.unikernelVersion} picks the network argument form:
 * below 0.16.1 {@code netdev.ipv4_addr/ipv4_gw_addr/ipv4_subnet_mask}, else {@code netdev.ip=}; no version
 * means the current form (as urunc), which a 0.16.0 binary does not understand.
 */
@E2E
class UnikernelUnikraftHttpTest extends OnE2eEnvironment {

    private CniNetwork net;
    private final Leftovers leftovers = Leftovers.system();

    UnikernelUnikraftHttpTest() {
        super(() -> E2eEnvironment.start(List.of(
                UnikernelImages.httpreply("uk-http-0163", "0.16.3", "0.16.3"),
                UnikernelImages.httpreply("uk-http-0160", "0.16.0", "0.16.0"),
                UnikernelImages.httpreply("uk-http-0163-nover", "0.16.3", null),
                UnikernelImages.httpreply("uk-http-0160-nover", "0.16.0", null))));
    }

    @BeforeAll
    void setUp() {
        net = env.register(CniNetwork.create(env.host()));
    }

    @Test
    void unikraft0163AnswersInACniNetworkWithTheCurrentNetworkArguments() {
        String args = answersInCni("uk-http-0163");
        assertThat(args).contains("netdev.ip=").doesNotContain("netdev.ipv4_addr");
    }

    @Test
    void unikraft0160AnswersInACniNetworkWithTheLegacyNetworkArguments() {
        String args = answersInCni("uk-http-0160");
        assertThat(args)
                .contains("netdev.ipv4_addr=", "netdev.ipv4_gw_addr=", "netdev.ipv4_subnet_mask=255.255.255.0")
                .doesNotContain("netdev.ip=");
    }

    @Test
    void withoutAVersionTheCurrentFormIsUsed() {
        assertThat(answersInCni("uk-http-0163-nover")).contains("netdev.ip=");
        // A 0.16.0 binary without the label gets the current form too (urunc's default): it boots but
        // does not configure its network, so only the command line is checked here.
        ServiceRun run = ServiceRun.inCni(
                env,
                env.juruncRun("uk-http-0160-nover", E2eEnvironment.newId("uk-nover"))
                        .withCni(net)
                        .withRm()
                        .withTimeout(Duration.ofMinutes(2)),
                net);
        try {
            assertThat(run.monitorArgs()).contains("netdev.ip=").doesNotContain("netdev.ipv4_addr");
        } finally {
            run.stop();
        }
    }

    @Test
    void bothVersionsAnswerInANetnsPreparedBeforehand() {
        for (String image : List.of("uk-http-0163", "uk-http-0160")) {
            try (PodNetwork pod = PodNetwork.create(env.host())) {
                String id = E2eEnvironment.newId("uk-pod");
                ServiceRun run = ServiceRun.at(
                        env,
                        env.juruncRun(image, id)
                                .withRm()
                                .inNetns(pod.netnsPath())
                                .withTimeout(Duration.ofMinutes(2)),
                        pod,
                        pod.ip());
                try {
                    HttpProbe.Answer a = itWorks(run);
                    System.out.printf(
                            "measure: unikraft %s (prepared netns) first HTTP answer %d ms after the probe"
                                    + " started%n",
                            image, a.waited().toMillis());
                    env.ctr().kill(id, "SIGTERM").requireSuccess();
                    assertThat(run.ctrRun().waitFor(Duration.ofSeconds(60))).isNotEqualTo(-1);
                    assertThat(pod.taps())
                            .as("delete removed the tap from the surviving netns")
                            .isEmpty();
                    assertThat(leftovers.find(env.scope(id))).isEmpty();
                } finally {
                    run.stop();
                }
            }
        }
    }

    /** Runs the image in the CNI network, checks the answer and the cleanup; returns the monitor's argv. */
    private String answersInCni(String image) {
        String id = E2eEnvironment.newId("uk-cni");
        ServiceRun run = ServiceRun.inCni(
                env, env.juruncRun(image, id).withCni(net).withRm().withTimeout(Duration.ofMinutes(2)), net);
        try {
            HttpProbe.Answer a = itWorks(run);
            System.out.printf(
                    "measure: unikraft %s (ctr --cni) first HTTP answer %d ms after the CNI lease%n",
                    image, a.waited().toMillis());
            String args = run.monitorArgs();
            assertThat(args).as("the container's monitor is QEMU").contains("qemu-system-x86_64");
            Leftovers.NetnsRecord netns = leftovers.recordNetns(run.pid()).orElseThrow();
            env.ctr().kill(id, "SIGTERM").requireSuccess();
            assertThat(run.ctrRun().waitFor(Duration.ofSeconds(60))).isNotEqualTo(-1);
            assertThat(env.task(id)).isEmpty();
            assertThat(leftovers.find(env.scope(id).withNetns(netns))).isEmpty();
            return args;
        } finally {
            run.stop();
        }
    }

    /** GETs httpreply's page, which must answer 200 "It works!" within 60 s. */
    static HttpProbe.Answer itWorks(ServiceRun run) {
        HttpProbe.Answer a = run.get(UnikernelImages.HTTPREPLY_PORT, "/", Map.of(), Duration.ofSeconds(60));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("It works!");
        return a;
    }
}
