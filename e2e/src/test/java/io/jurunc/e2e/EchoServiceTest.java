package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.RoutedNetwork;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Spawned;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP echo microVM in a CNI-networked netns ({@code ctr run --cni}), reached from the host with a
 * real HTTP request; then kill and delete, after which no tap, qemu process, state dir or lease is left.
 */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EchoServiceTest {

    private E2eEnvironment env;
    private CniNetwork net;
    private final Leftovers leftovers = Leftovers.system();

    @BeforeAll
    void setUp() {
        env = E2eEnvironment.start("echo");
        net = env.register(CniNetwork.create(env.host()));
    }

    @AfterAll
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void theEchoServiceAnswersAHostRequestWithItsHeaders() {
        Service svc = startEcho();
        try {
            String probe = UUID.randomUUID().toString();
            HttpProbe.Answer answer = svc.get(net, Map.of("X-Jurunc-Probe", probe), Duration.ofSeconds(60));

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
        Service a = startEcho();
        try {
            Service b = startEcho();
            try {
                assertThat(a.ip()).isNotEqualTo(b.ip());
                for (Service s : List.of(a, b)) {
                    HttpProbe.Answer answer = s.get(net, Map.of("X-Sandbox", s.id()), Duration.ofSeconds(60));
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
            Service svc = new Service(
                    id,
                    env.ctr()
                            .startRun(env.juruncRun("echo", id)
                                    .withFlag("--with-ns", "network:" + pod.netnsPath())
                                    .withRm()),
                    pod.ip(),
                    env);
            try {
                String probe = UUID.randomUUID().toString();
                HttpProbe.Answer answer = svc.get(pod, Map.of("X-Jurunc-Probe", probe), Duration.ofSeconds(60));
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
            List<Service> services = new java.util.ArrayList<>();
            try {
                for (PodNetwork pod : List.of(podA, podB)) {
                    String id = E2eEnvironment.newId("pod");
                    services.add(new Service(
                            id,
                            env.ctr()
                                    .startRun(env.juruncRun("echo", id)
                                            .withFlag("--with-ns", "network:" + pod.netnsPath())
                                            .withRm()),
                            pod.ip(),
                            env));
                }
                for (int i = 0; i < 2; i++) {
                    Service s = services.get(i);
                    HttpProbe.Answer answer =
                            s.get(List.of(podA, podB).get(i), Map.of("X-Sandbox", s.id()), Duration.ofSeconds(60));
                    assertThat(answer.body()).contains("HTTP_X_SANDBOX=" + s.id());
                }
                assertThat(podA.taps()).hasSize(1);
                assertThat(podB.taps()).hasSize(1);
            } finally {
                services.forEach(Service::stop);
            }
            assertThat(podA.taps()).isEmpty();
            assertThat(podB.taps()).isEmpty();
        }
    }

    private record Service(String id, Spawned ctrRun, String ip, E2eEnvironment env) {

        /** GETs /cgi-bin/echo; on failure the message carries the guest console and the netns's view. */
        HttpProbe.Answer get(RoutedNetwork net, Map<String, String> headers, Duration limit) {
            try {
                return new HttpProbe(net)
                        .await(URI.create("http://" + ip + ":8080/cgi-bin/echo"), headers, limit, ctrRun::isAlive);
            } catch (RuntimeException e) {
                String netns = env.task(id)
                        .map(t -> env.host()
                                .run(io.jurunc.e2e.support.Command.of(
                                        "nsenter",
                                        "--net=/proc/" + t.pid() + "/ns/net",
                                        "--",
                                        "sh",
                                        "-c",
                                        "ip addr; ip route; tc filter show dev eth0 ingress"))
                                .describe())
                        .orElse("(no task)");
                throw new AssertionError(
                        e.getMessage() + "\nctr run alive: " + ctrRun.isAlive()
                                + "\n--- ctr run stdout (guest console) ---\n" + read(ctrRun.stdoutFile())
                                + "\n--- ctr run stderr ---\n" + read(ctrRun.stderrFile())
                                + "\n--- container netns ---\n" + netns,
                        e);
            }
        }

        void stop() {
            if (ctrRun.isAlive()) {
                env.ctr().kill(id, "SIGKILL");
                ctrRun.waitFor(Duration.ofSeconds(30));
            }
            ctrRun.stop(Duration.ofSeconds(5));
            env.ctr().forceRemove(id);
        }
    }

    private Service startEcho() {
        String id = E2eEnvironment.newId("echo");
        RunSpec spec = env.juruncRun("echo", id).withCni(net).withRm().withTimeout(Duration.ofMinutes(5));
        Spawned ctrRun = env.ctr().startRun(spec);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Optional<String> ip = net.containerIp(env.ctr().namespace(), id);
        while (ip.isEmpty() && ctrRun.isAlive() && System.nanoTime() < deadline) {
            sleep();
            ip = net.containerIp(env.ctr().namespace(), id);
        }
        if (ip.isEmpty()) {
            Service half = new Service(id, ctrRun, "", env);
            half.stop();
            throw new AssertionError("echo service " + id + " got no CNI address; ctr run stderr:\n"
                    + read(ctrRun.stderrFile()) + "\nstdout:\n" + read(ctrRun.stdoutFile()));
        }
        return new Service(id, ctrRun, ip.get(), env);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
