package io.jurunc.e2e.unikernel;

import static io.jurunc.e2e.support.ServiceRun.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PodNetwork;
import io.jurunc.e2e.support.ServiceRun;
import io.jurunc.e2e.support.Spawned;
import java.time.Duration;

/** ICMP probes of a unikernel in a prepared netns, sent only once the address routes through its bridge. */
final class Solo5Probe {
    private Solo5Probe() {}

    /**
     * Pings {@code ip} through the pod's bridge until the unikernel itself answers: the container's eth0
     * holds the same address, so pings are sent only once the sandbox's tap exists (the redirect to it is
     * set up before the monitor starts), and success needs the console's "Received ping" as well.
     */
    static void awaitPing(Host host, PodNetwork pod, String ip, Spawned run, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadline && run.isAlive()) {
            if (!pod.taps().isEmpty() && pod.routesViaBridge(ip)) {
                last = host.run(Command.of("ping", "-c", "1", "-W", "1", "-I", pod.bridge(), ip));
                if (last.succeeded() && read(run.stdoutFile()).contains("Received ping, sending reply")) {
                    return;
                }
            }
            sleep(200);
        }
        throw new HarnessException("no ping answer from the unikernel at " + ip + " via " + pod.bridge()
                + " (run alive: " + run.isAlive() + ", taps: " + pod.taps() + ")\nlast ping: "
                + (last == null ? "(none sent)" : last.describe())
                + "\n--- console ---\n" + read(run.stdoutFile()) + "\n--- stderr ---\n" + read(run.stderrFile()));
    }

    /** Waits until the run's console shows {@code text} (ctr copies the FIFO to the file asynchronously). */
    static String awaitOutput(Spawned run, String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String out = read(run.stdoutFile());
        while (!out.contains(text) && System.nanoTime() < deadline) {
            sleep(100);
            out = read(run.stdoutFile());
        }
        if (!out.contains(text)) {
            throw new HarnessException("the console never showed '" + text + "' in " + limit.toSeconds() + " s:\n" + out
                    + "\n--- stderr ---\n" + read(run.stderrFile()));
        }
        return out;
    }

    /**
     * Runs Solo5's test_net image in a netns prepared with its built-in 10.0.0.0/24, waits until the
     * unikernel itself answers ping through the tap, then stops it: nothing may be left (tap, state, process).
     */
    static void netAnswersPingThroughTheTap(E2eEnvironment env, String image, Duration answerLimit) {
        Leftovers leftovers = Leftovers.system();
        try (PodNetwork pod = PodNetwork.create(env.host(), UnikernelImages.SOLO5_NET_PREFIX)) {
            String id = E2eEnvironment.newId(image);
            ServiceRun run = ServiceRun.at(
                    env,
                    env.juruncRun(image, id).withRm().inNetns(pod.netnsPath()).withTimeout(Duration.ofMinutes(2)),
                    pod,
                    UnikernelImages.SOLO5_NET_IP);
            try {
                awaitPing(env.host(), pod, run.ip(), run.ctrRun(), answerLimit);
                env.ctr().kill(id, "SIGTERM").requireSuccess();
                assertThat(run.ctrRun().waitFor(Duration.ofSeconds(30))).isNotEqualTo(-1);
                assertThat(pod.taps()).isEmpty();
                assertThat(leftovers.find(env.scope(id))).isEmpty();
            } finally {
                run.stop();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted", e);
        }
    }
}
