package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.HttpProbe;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.unikernel.UnikernelImages;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            CriNode node = CriNode.start(host, cleanup, "jurunc-e2e-cri-uk-");
            Path app = node.work.resolve("uk.tar");
            ImageBuilders.configured(host)
                    .build(
                            UnikernelImages.httpreply("uk-http", "0.16.3", "0.16.3")
                                    .context(node.work.resolve("ctx")),
                            "jurunc.test/uk-http:latest",
                            ImageBuilder.Format.OCI_ARCHIVE,
                            app);
            node.importImage(app, "jurunc.test/uk-http");
            try {
                runPod(node);
            } catch (GrpcUnixClient.GrpcCallException e) {
                throw node.explain(e);
            }
        }
    }

    private void runPod(CriNode node) throws Exception {
        CriClient cri = node.cri;
        CriNode.Pod pod = node.runPod("jurunc-ukpod-");
        String podIp = cri.podIp(pod.id());
        assertThat(podIp).as("CNI address").startsWith(node.net.subnet().replace("0/24", ""));

        String ctrId =
                cri.createContainer(pod.id(), pod.config(), "httpreply", "jurunc.test/uk-http:latest", List.of());
        cri.startContainer(ctrId);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_RUNNING);
        HttpProbe.Answer a = new HttpProbe(node.net)
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
        node.removePod(pod);
        assertThat(node.net.heldLeases()).as("the pod's address was released").isEmpty();
    }
}
