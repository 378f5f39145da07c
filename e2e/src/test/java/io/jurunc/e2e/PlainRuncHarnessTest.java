package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.TestImages;
import io.jurunc.e2e.support.UmociImageBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests the tests: the harness (private containerd, ctr, CNI network, leftover checks) and the test
 * images, with plain runc and the umoci reference builder, so that a failure in the jurunc suites can
 * be told apart from a broken harness.
 */
@E2E
class PlainRuncHarnessTest {

    private final RealHost host = new RealHost();

    @Test
    void runcRunsThePlainImageAndTheEchoServiceAnswersOverCni(@TempDir Path tmp) throws Exception {
        ImageBuilder umoci = new UmociImageBuilder(host);
        Path plain = tmp.resolve("plain.tar");
        Path echo = tmp.resolve("echo.tar");
        umoci.build(
                TestImages.context("plain", tmp), "jurunc.test/plain:latest", ImageBuilder.Format.OCI_ARCHIVE, plain);
        umoci.build(TestImages.context("echo", tmp), "jurunc.test/echo:latest", ImageBuilder.Format.OCI_ARCHIVE, echo);

        try (Cleanup cleanup = new Cleanup()) {
            PrivateContainerd containerd = cleanup.register(PrivateContainerd.start());
            Ctr ctr = containerd.ctr();
            ctr.importImage(plain, "jurunc.test/plain").requireSuccess();
            ctr.importImage(echo, "jurunc.test/echo").requireSuccess();
            assertThat(ctr.images()).contains("jurunc.test/plain:latest", "jurunc.test/echo:latest");

            String id = "harness-plain-" + UUID.randomUUID().toString().substring(0, 8);
            CommandResult run =
                    ctr.run(RunSpec.of("jurunc.test/plain:latest", id).withRm());
            assertThat(run.succeeded()).as(run.describe()).isTrue();
            assertThat(run.stdout()).as(run.describe()).contains("hello from runc via jurunc");

            CniNetwork net = cleanup.register(CniNetwork.create(host));
            String svc = "harness-echo-" + UUID.randomUUID().toString().substring(0, 8);
            Spawned ctrRun = ctr.startRun(
                    RunSpec.of("jurunc.test/echo:latest", svc).withRm().withCni(net));
            cleanup.defer("stop ctr run " + svc, () -> {
                ctrRun.stop(Duration.ofSeconds(5));
                ctr.forceRemove(svc);
            });
            String probe = UUID.randomUUID().toString();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (net.containerIp(ctr.namespace(), svc).isEmpty()
                    && System.nanoTime() < deadline
                    && ctrRun.isAlive()) {
                Thread.sleep(100);
            }
            String ip = net.containerIp(ctr.namespace(), svc)
                    .orElseThrow(() -> new AssertionError(
                            "no CNI lease for " + svc + "; ctr run stderr: " + readQuietly(ctrRun.stderrFile())));
            HttpProbe.Answer answer = new HttpProbe(net)
                    .await(
                            URI.create("http://" + ip + ":8080/cgi-bin/echo"),
                            Map.of("X-Jurunc-Probe", probe),
                            Duration.ofSeconds(30),
                            ctrRun::isAlive);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("HTTP_X_JURUNC_PROBE=" + probe);

            long pid = Long.parseLong(ctr.tasks().stream()
                    .filter(r -> r.startsWith(svc))
                    .findFirst()
                    .orElseThrow()
                    .split("\\s+")[1]);
            Leftovers leftovers = Leftovers.system();
            Leftovers.NetnsRecord netns = leftovers.recordNetns(pid).orElseThrow();
            ctr.kill(svc, "SIGKILL").requireSuccess();
            assertThat(ctrRun.waitFor(Duration.ofSeconds(30)))
                    .as("ctr run exits after the kill")
                    .isNotEqualTo(-1);
            assertThat(leftovers.find(Leftovers.Scope.of(
                                    svc,
                                    containerd.taskBundle(ctr.namespace(), svc),
                                    Path.of("/run/containerd/runc", ctr.namespace(), svc))
                            .withNetns(netns)))
                    .isEmpty();
            assertThat(net.heldLeases()).as("ctr --cni released the address").isEmpty();
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }
}
