package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.unikernel.UnikernelImages;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A Kubernetes-style pod whose app container is Unikraft's httpreply, through containerd's CRI with the
 * {@code jurunc} runtime handler: CRI passes no image labels, so jurunc reads the image's {@code
 * /urunc.json}; the QEMU microVM takes over the pod's CNI address and answers HTTP there.
 */
@E2E
class UnikernelCriTest {

    private final RealHost host = new RealHost();

    @Test
    void aPodsUnikraftContainerAnswersHttpOnThePodIp() throws Exception {
        try (Cleanup cleanup = new Cleanup()) {
            Path work = Files.createTempDirectory("jurunc-e2e-cri-uk-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            ImageBuilder builder = ImageBuilders.configured(host);
            Path pause = work.resolve("pause.tar");
            builder.build(
                    CriPodTest.pauseContext(work.resolve("pause-ctx")),
                    "jurunc.test/pause:latest",
                    ImageBuilder.Format.OCI_ARCHIVE,
                    pause);
            Path app = work.resolve("uk.tar");
            builder.build(
                    UnikernelImages.httpreply("uk-http", "0.16.3", "0.16.3").context(work.resolve("ctx")),
                    "jurunc.test/uk-http:latest",
                    ImageBuilder.Format.OCI_ARCHIVE,
                    app);

            CniNetwork net = cleanup.register(CniNetwork.create(host));
            PrivateContainerd containerd = CriPodTest.startCriContainerd(host, cleanup, net);
            containerd.ctr("k8s.io").importImage(pause, "jurunc.test/pause").requireSuccess();
            containerd.ctr("k8s.io").importImage(app, "jurunc.test/uk-http").requireSuccess();
            try {
                runPod(cleanup, containerd, net, work);
            } catch (GrpcUnixClient.GrpcCallException e) {
                throw new AssertionError(
                        e.getMessage() + "\ncontainerd log (tail):\n" + CriPodTest.tail(containerd.log()), e);
            }
        }
    }

    private void runPod(Cleanup cleanup, PrivateContainerd containerd, CniNetwork net, Path work) throws Exception {
        CriClient cri = new CriClient(containerd.address(), Duration.ofSeconds(90));
        String name = "jurunc-ukpod-" + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Files.createDirectories(work.resolve("pod-logs"));
        ProtoWriter podConfig = CriClient.podConfig(name, UUID.randomUUID().toString(), logs, Map.of());
        String podId = cri.runPodSandbox(podConfig, "jurunc");
        cleanup.defer("remove pod " + podId, () -> {
            try {
                cri.stopPodSandbox(podId);
                cri.removePodSandbox(podId);
            } catch (GrpcUnixClient.GrpcCallException alreadyGone) {
                // the test removed it
            }
        });
        String podIp = cri.podIp(podId);
        assertThat(podIp).as("CNI address").startsWith(net.subnet().replace("0/24", ""));

        String ctrId = cri.createContainer(podId, podConfig, "httpreply", "jurunc.test/uk-http:latest", List.of());
        cri.startContainer(ctrId);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_RUNNING);
        HttpProbe.Answer a = new HttpProbe(net)
                .await(
                        URI.create("http://" + podIp + ":" + UnikernelImages.HTTPREPLY_PORT + "/"),
                        Map.of(),
                        Duration.ofSeconds(90),
                        () -> true);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).contains("It works!");
        System.out.printf(
                "measure: unikraft httpreply in a CRI pod: first HTTP answer %d ms after StartContainer%n",
                a.waited().toMillis());

        cri.stopContainer(ctrId, 5);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_EXITED);
        cri.removeContainer(ctrId);
        cri.stopPodSandbox(podId);
        cri.removePodSandbox(podId);
        assertThat(net.heldLeases()).as("the pod's address was released").isEmpty();
    }
}
