package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.WasmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A WASM container in a pod, through containerd's CRI plugin and runtime handler {@code jurunc}: the pause
 * container goes to runc and the WASM one runs in the same shim daemon's JVM; its log, exit code and stop
 * (SIGTERM of an endless loop) are what CRI reports. The image is built by {@code jurunc build} with
 * {@code --platform linux/amd64}: containerd 1.6's CRI unpacks only host platforms.
 */
@E2E
class WasmCriTest {
    private final RealHost host = new RealHost();

    @Test
    void aWasmContainerRunsInAPodThroughTheJuruncHandler() throws Exception {
        try (Cleanup cleanup = new Cleanup()) {
            CriNode node = CriNode.start(host, cleanup, "jurunc-e2e-wasm-cri-");
            Path work = node.work;
            Path wasmCtx = WasmProbe.context(host, work.resolve("wasm-ctx"), """
                    FROM scratch
                    COPY app.wasm /app.wasm
                    COPY greeting /etc/greeting
                    ENTRYPOINT ["/app.wasm"]
                    LABEL com.urunc.unikernel.unikernelType=wasm
                    """);
            Path wasm = work.resolve("wasm.tar");
            host.run(Command.of(
                                    Jurunc.cli().toString(),
                                    "build",
                                    "--platform",
                                    "linux/amd64",
                                    "-t",
                                    "jurunc.test/wasm:latest",
                                    "--output",
                                    "oci-archive:" + wasm,
                                    wasmCtx.toString())
                            .withTimeout(Duration.ofMinutes(2)))
                    .requireSuccess();

            node.importImage(wasm, "jurunc.test/wasm");

            CriClient cri = node.cri;
            CriNode.Pod pod = node.runPod("jurunc-wasm-pod-");
            String podId = pod.id();
            ProtoWriter podConfig = pod.config();
            Path logs = pod.logs();
            assertThat(cri.podState(podId)).isEqualTo(CriClient.SANDBOX_READY);

            String cat = cri.createContainer(
                    podId, podConfig, "cat", "jurunc.test/wasm:latest", List.of("/app.wasm", "cat", "/etc/greeting"));
            cri.startContainer(cat);
            awaitExited(cri, cat);
            assertThat(exitCode(node.containerd, cat)).isZero();
            assertThat(Files.readString(logs.resolve("cat.log"))).contains("hello from the image");

            String loop = cri.createContainer(
                    podId, podConfig, "loop", "jurunc.test/wasm:latest", List.of("/app.wasm", "loop"));
            cri.startContainer(loop);
            assertThat(cri.containerState(loop)).isEqualTo(CriClient.CONTAINER_RUNNING);
            assertThat(node.shimDaemons())
                    .as("sandbox and WASM containers share one shim daemon")
                    .hasSize(1);
            cri.stopContainer(loop, 5);
            assertThat(cri.containerState(loop)).isEqualTo(CriClient.CONTAINER_EXITED);
            assertThat(exitCode(node.containerd, loop)).isEqualTo(143);

            cri.removeContainer(cat);
            cri.removeContainer(loop);
            node.removePod(pod);
            assertThat(node.net.heldLeases())
                    .as("the pod's address was released")
                    .isEmpty();
        }
    }

    /** ContainerStatusResponse{status 1{exit_code 7}} (a field CriClient does not read). */
    private static long exitCode(PrivateContainerd containerd, String id) throws Exception {
        byte[] answer = new GrpcUnixClient(containerd.address())
                .call(
                        CriClient.RUNTIME,
                        "ContainerStatus",
                        ProtoWriter.message().string(1, id).toByteArray(),
                        Duration.ofSeconds(30));
        return ProtoReader.parse(answer).message(1).varint(7);
    }

    private static void awaitExited(CriClient cri, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (cri.containerState(id) != CriClient.CONTAINER_EXITED) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + id + " did not exit within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
