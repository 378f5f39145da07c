package io.jurunc.e2e.unikernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.RoutedNetwork;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Spawned;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Unikraft's httpreply (0.16.0 and 0.16.3) through containerd's runc shim and the jurunc CLI, answering
 * HTTP on port 8123 from the host, in a CNI network ({@code ctr run --cni}) and in a netns prepared
 * beforehand as CRI does. {@code com.urunc.unikernel.unikernelVersion} picks the network argument form:
 * below 0.16.1 {@code netdev.ipv4_addr/ipv4_gw_addr/ipv4_subnet_mask}, else {@code netdev.ip=}; no version
 * means the current form (as urunc), which a 0.16.0 binary does not understand.
 */
@E2E
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnikernelUnikraftHttpTest {

    private E2eEnvironment env;
    private CniNetwork net;
    private final Leftovers leftovers = Leftovers.system();

    @BeforeAll
    void setUp() {
        env = E2eEnvironment.start(List.of(
                UnikernelImages.httpreply("uk-http-0163", "0.16.3", "0.16.3"),
                UnikernelImages.httpreply("uk-http-0160", "0.16.0", "0.16.0"),
                UnikernelImages.httpreply("uk-http-0163-nover", "0.16.3", null),
                UnikernelImages.httpreply("uk-http-0160-nover", "0.16.0", null)));
        net = env.register(CniNetwork.create(env.host()));
    }

    @AfterAll
    void tearDown() {
        if (env != null) {
            env.close();
        }
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
        UnikraftRun run = UnikraftRun.start(
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
                UnikraftRun run = UnikraftRun.start(
                        env,
                        env.juruncRun(image, id)
                                .withRm()
                                .withFlag("--with-ns", "network:" + pod.netnsPath())
                                .withTimeout(Duration.ofMinutes(2)),
                        pod,
                        pod.ip());
                try {
                    HttpProbe.Answer a = run.get(Duration.ofSeconds(60));
                    assertThat(a.status()).isEqualTo(200);
                    assertThat(a.body()).contains("It works!");
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
        UnikraftRun run = UnikraftRun.start(
                env, env.juruncRun(image, id).withCni(net).withRm().withTimeout(Duration.ofMinutes(2)), net);
        try {
            HttpProbe.Answer a = run.get(Duration.ofSeconds(60));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("It works!");
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

    /** One running Unikraft service started with {@code ctr run} in the background. */
    record UnikraftRun(E2eEnvironment env, String id, Spawned ctrRun, RoutedNetwork network, String ip) {

        static UnikraftRun start(E2eEnvironment env, RunSpec spec, CniNetwork net) {
            Spawned ctrRun = env.ctr().startRun(spec);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Optional<String> ip = net.containerIp(env.ctr().namespace(), spec.id());
            while (ip.isEmpty() && ctrRun.isAlive() && System.nanoTime() < deadline) {
                sleep(100);
                ip = net.containerIp(env.ctr().namespace(), spec.id());
            }
            UnikraftRun run = new UnikraftRun(env, spec.id(), ctrRun, net, ip.orElse(""));
            if (ip.isEmpty()) {
                run.stop();
                throw new AssertionError(
                        spec.id() + " got no CNI address; ctr run stderr:\n" + Solo5Probe.read(ctrRun.stderrFile()));
            }
            return run;
        }

        static UnikraftRun start(E2eEnvironment env, RunSpec spec, RoutedNetwork network, String ip) {
            return new UnikraftRun(env, spec.id(), env.ctr().startRun(spec), network, ip);
        }

        HttpProbe.Answer get(Duration limit) {
            try {
                return new HttpProbe(network)
                        .await(
                                URI.create("http://" + ip + ":" + UnikernelImages.HTTPREPLY_PORT + "/"),
                                Map.of(),
                                limit,
                                ctrRun::isAlive);
            } catch (RuntimeException e) {
                throw new AssertionError(
                        e.getMessage() + "\nctr run alive: " + ctrRun.isAlive()
                                + "\n--- console ---\n" + Solo5Probe.read(ctrRun.stdoutFile())
                                + "\n--- ctr run stderr ---\n" + Solo5Probe.read(ctrRun.stderrFile()),
                        e);
            }
        }

        long pid() {
            return env.awaitTask(id, "RUNNING", Duration.ofSeconds(30))
                    .orElseThrow(() ->
                            new AssertionError(id + " never RUNNING; stderr:\n" + Solo5Probe.read(ctrRun.stderrFile())))
                    .pid();
        }

        /** The monitor's command line (the child of the container's process, the sandbox init), words joined by spaces. */
        String monitorArgs() {
            long pid = pid();
            return io.jurunc.e2e.support.ProcFs.system()
                    .monitorOf(pid)
                    .orElseThrow(() -> new AssertionError("no sandbox init with a monitor at " + pid))
                    .commandLine();
        }

        void stop() {
            if (ctrRun.isAlive()) {
                env.ctr().kill(id, "SIGKILL");
                ctrRun.waitFor(Duration.ofSeconds(30));
            }
            ctrRun.stop(Duration.ofSeconds(5));
            env.ctr().forceRemove(id);
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
