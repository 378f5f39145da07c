package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.Ctr;
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
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP echo microVM in a CNI-networked netns ({@code ctr run --cni}), reached from the host with a
 * real HTTP request; then kill and delete, after which no tap, qemu process, state dir or lease is left.
 */
@E2E
class EchoServiceTest extends OnE2eEnvironment {

    private CniNetwork net;
    private final Leftovers leftovers = Leftovers.system();

    EchoServiceTest() {
        super(() -> E2eEnvironment.start("echo"));
    }

    @BeforeAll
    void setUp() {
        net = env.register(CniNetwork.create(env.host()));
    }

    @Test
    void theEchoServiceAnswersAHostRequestWithItsHeaders() {
        ServiceRun svc = startEcho();
        try {
            String probe = UUID.randomUUID().toString();
            HttpProbe.Answer answer = echo(svc, Map.of("X-Jurunc-Probe", probe));

            assertThat(answer.status()).isEqualTo(200);
            System.out.printf(
                    "measure: echo microVM (ctr --cni) first HTTP answer %d ms after the CNI lease%n",
                    answer.waited().toMillis());
            assertThat(answer.body()).contains("jurunc echo: GET /cgi-bin/echo", "HTTP_X_JURUNC_PROBE=" + probe);

            Ctr.TaskRow task =
                    env.awaitTask(svc.id(), "RUNNING", Duration.ofSeconds(5)).orElseThrow();
            assertThat(leftovers.tapsInNetnsOf(task.pid()))
                    .as("a tap in the container's netns while it runs")
                    .isNotEmpty();
            Leftovers.NetnsRecord netns = leftovers.recordNetns(task.pid()).orElseThrow();

            env.ctr().kill(svc.id(), "SIGTERM").requireSuccess();
            assertThat(svc.ctrRun().waitFor(Duration.ofSeconds(60)))
                    .as("ctr run returns once the VM stopped")
                    .isNotEqualTo(-1);
            // ctr run --rm deleted the task and container and released the CNI address
            assertThat(env.task(svc.id())).isEmpty();
            assertThat(env.ctr().containers()).doesNotContain(svc.id());
            assertThat(leftovers.find(env.scope(svc.id()).withNetns(netns))).isEmpty();
            assertThat(net.heldLeases()).isEmpty();
        } finally {
            svc.stop();
        }
    }

    @Test
    void twoSandboxesRunAtOnceEachInItsOwnNetns() {
        ServiceRun a = startEcho();
        try {
            ServiceRun b = startEcho();
            try {
                assertThat(a.ip()).isNotEqualTo(b.ip());
                for (ServiceRun s : List.of(a, b)) {
                    HttpProbe.Answer answer = echo(s, Map.of("X-Sandbox", s.id()));
                    assertThat(answer.body()).contains("HTTP_X_SANDBOX=" + s.id());
                }
                long pidA = env.task(a.id()).orElseThrow().pid();
                long pidB = env.task(b.id()).orElseThrow().pid();
                assertThat(leftovers.netnsOf(pidA)).isNotEqualTo(leftovers.netnsOf(pidB));
            } finally {
                b.stop();
            }
        } finally {
            a.stop();
        }
        assertThat(net.heldLeases()).isEmpty();
    }

    @Test
    void theEchoServiceInANetnsPreparedBeforehandAnswersToo() {
        // CRI-style: the netns exists, networked, before create (config.json names it by path)
        try (PodNetwork pod = PodNetwork.create(env.host())) {
            String id = E2eEnvironment.newId("pod");
            ServiceRun svc = ServiceRun.at(
                    env, env.juruncRun("echo", id).inNetns(pod.netnsPath()).withRm(), pod, pod.ip());
            try {
                String probe = UUID.randomUUID().toString();
                HttpProbe.Answer answer = echo(svc, Map.of("X-Jurunc-Probe", probe));
                assertThat(answer.body()).contains("HTTP_X_JURUNC_PROBE=" + probe);
                System.out.printf(
                        "measure: echo microVM (prepared netns) first HTTP answer %d ms after ctr run%n",
                        answer.waited().toMillis());
                assertThat(pod.taps())
                        .as("a tap in the prepared netns while it runs")
                        .isNotEmpty();

                env.ctr().kill(id, "SIGTERM").requireSuccess();
                assertThat(svc.ctrRun().waitFor(Duration.ofSeconds(60))).isNotEqualTo(-1);
                assertThat(pod.taps())
                        .as("delete removed the tap from the (surviving) netns")
                        .isEmpty();
                assertThat(leftovers.find(env.scope(id))).isEmpty();
            } finally {
                svc.stop();
            }
        }
    }

    @Test
    void twoSandboxesInPreparedNetnsRunAtOnce() {
        try (PodNetwork podA = PodNetwork.create(env.host());
                PodNetwork podB = PodNetwork.create(env.host())) {
            List<ServiceRun> services = new java.util.ArrayList<>();
            try {
                for (PodNetwork pod : List.of(podA, podB)) {
                    String id = E2eEnvironment.newId("pod");
                    services.add(ServiceRun.at(
                            env,
                            env.juruncRun("echo", id).inNetns(pod.netnsPath()).withRm(),
                            pod,
                            pod.ip()));
                }
                for (int i = 0; i < 2; i++) {
                    ServiceRun s = services.get(i);
                    HttpProbe.Answer answer = echo(s, Map.of("X-Sandbox", s.id()));
                    assertThat(answer.body()).contains("HTTP_X_SANDBOX=" + s.id());
                }
                assertThat(podA.taps()).hasSize(1);
                assertThat(podB.taps()).hasSize(1);
            } finally {
                services.forEach(ServiceRun::stop);
            }
            assertThat(podA.taps()).isEmpty();
            assertThat(podB.taps()).isEmpty();
        }
    }

    private ServiceRun startEcho() {
        String id = E2eEnvironment.newId("echo");
        return ServiceRun.inCni(
                env, env.juruncRun("echo", id).withCni(net).withRm().withTimeout(Duration.ofMinutes(5)), net);
    }

    /** GETs the echo CGI with {@code headers}. */
    private static HttpProbe.Answer echo(ServiceRun s, Map<String, String> headers) {
        return s.get(8080, "/cgi-bin/echo", headers, Duration.ofSeconds(60));
    }
}
