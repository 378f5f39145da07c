package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.ShimDaemons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * containerd's CRI plugin with runtime handler {@code jurunc}, driven like a kubelet: RunPodSandbox (the
 * pause image is built by the project, networked through CNI) &rarr; CreateContainer &rarr; StartContainer
 * &rarr; StopContainer &rarr; RemoveContainer &rarr; StopPodSandbox &rarr; RemovePodSandbox. The sandbox and its
 * container share one shim daemon (the node's, which stays resident after the pod).
 */
@E2E
class CriPodTest {
    private final RealHost host = new RealHost();

    @Test
    void aPodRunsThroughTheJuruncHandlerAndIsTornDown() throws Exception {
        try (Cleanup cleanup = new Cleanup()) {
            CriNode node = CriNode.start(host, cleanup, "jurunc-e2e-cri-");
            node.importTestImage(host, "plain");
            try {
                runPod(node);
            } catch (GrpcUnixClient.GrpcCallException e) {
                throw node.explain(e);
            }
        }
    }

    private void runPod(CriNode node) throws Exception {
        CriClient cri = node.cri;
        assertThat(cri.version()).isEqualTo("containerd");
        CriNode.Pod pod = node.runPod("jurunc-pod-");
        assertThat(cri.podState(pod.id())).isEqualTo(CriClient.SANDBOX_READY);
        assertThat(cri.podIp(pod.id()))
                .as("CNI address")
                .startsWith(node.net.subnet().replace("0/24", ""));

        String ctrId = cri.createContainer(
                pod.id(),
                pod.config(),
                "app",
                "jurunc.test/plain:latest",
                List.of("/bin/busybox", "sh", "-c", "echo app-started; exec /bin/busybox sleep 600"));
        cri.startContainer(ctrId);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_RUNNING);
        assertThat(node.shimDaemons())
                .as("the sandbox and its container share one shim daemon")
                .hasSize(1);
        awaitLog(pod.logs().resolve("app.log"), "app-started");

        cri.stopContainer(ctrId, 1);
        assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_EXITED);
        cri.removeContainer(ctrId);
        node.removePod(pod);
        assertThat(node.shimDaemons())
                .as("the node daemon stays resident after the pod")
                .hasSize(1);
        ShimDaemons.stop(node.containerd);
        assertThat(node.shimDaemons()).as("the node daemon stops on SIGTERM").isEmpty();
        assertThat(node.net.heldLeases()).as("the pod's address was released").isEmpty();
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("container log " + log + " never showed '" + text + "'");
    }
}
