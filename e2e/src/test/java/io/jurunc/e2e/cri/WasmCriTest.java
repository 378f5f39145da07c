package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
            Path work = Files.createTempDirectory("jurunc-e2e-wasm-cri-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            Path pause = work.resolve("pause.tar");
            ImageBuilders.configured(host)
                    .build(
                            CriPodTest.pauseContext(work.resolve("pause-ctx")),
                            "jurunc.test/pause:latest",
                            ImageBuilder.Format.OCI_ARCHIVE,
                            pause);
            Path wasmCtx = Files.createDirectories(work.resolve("wasm-ctx"));
            host.run(Command.of(
                                    "clang-14",
                                    "--target=wasm32-wasi",
                                    "--sysroot=/usr",
                                    "-O2",
                                    "-Wl,--strip-all",
                                    "-o",
                                    wasmCtx.resolve("app.wasm").toString(),
                                    Jurunc.repo()
                                            .resolve("wasm/src/test/resources/wasm/probe.c")
                                            .toString())
                            .withTimeout(Duration.ofMinutes(2)))
                    .requireSuccess();
            Files.writeString(wasmCtx.resolve("greeting"), "hello from the image\n");
            Files.writeString(wasmCtx.resolve("Containerfile"), """
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

            CniNetwork net = cleanup.register(CniNetwork.create(host));
            PrivateContainerd containerd = CriPodTest.startCriContainerd(host, cleanup, net);
            containerd.ctr("k8s.io").importImage(pause, "jurunc.test/pause").requireSuccess();
            containerd.ctr("k8s.io").importImage(wasm, "jurunc.test/wasm").requireSuccess();

            CriClient cri = new CriClient(containerd.address(), Duration.ofSeconds(90));
            String name = "jurunc-wasm-pod-" + UUID.randomUUID().toString().substring(0, 8);
            Path logs = Files.createDirectories(work.resolve("pod-logs"));
            ProtoWriter podConfig = CriClient.podConfig(name, UUID.randomUUID().toString(), logs, Map.of());
            String podId = cri.runPodSandbox(podConfig, "jurunc");
            cleanup.defer("remove pod " + podId, () -> {
                try {
                    cri.stopPodSandbox(podId);
                    cri.removePodSandbox(podId);
                } catch (GrpcUnixClient.GrpcCallException alreadyGone) {
                    // removed by the test
                }
            });
            assertThat(cri.podState(podId)).isEqualTo(CriClient.SANDBOX_READY);

            String cat = cri.createContainer(
                    podId, podConfig, "cat", "jurunc.test/wasm:latest", List.of("/app.wasm", "cat", "/etc/greeting"));
            cri.startContainer(cat);
            awaitExited(cri, cat);
            assertThat(exitCode(containerd, cat)).isZero();
            assertThat(Files.readString(logs.resolve("cat.log"))).contains("hello from the image");

            String loop = cri.createContainer(
                    podId, podConfig, "loop", "jurunc.test/wasm:latest", List.of("/app.wasm", "loop"));
            cri.startContainer(loop);
            assertThat(cri.containerState(loop)).isEqualTo(CriClient.CONTAINER_RUNNING);
            assertThat(shimDaemons(containerd))
                    .as("sandbox and WASM containers share one shim daemon")
                    .hasSize(1);
            cri.stopContainer(loop, 5);
            assertThat(cri.containerState(loop)).isEqualTo(CriClient.CONTAINER_EXITED);
            assertThat(exitCode(containerd, loop)).isEqualTo(143);

            cri.removeContainer(cat);
            cri.removeContainer(loop);
            cri.stopPodSandbox(podId);
            cri.removePodSandbox(podId);
            assertThat(net.heldLeases()).as("the pod's address was released").isEmpty();
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

    private static List<Long> shimDaemons(PrivateContainerd containerd) {
        String address = containerd.address().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> List.of(a).contains("io.jurunc.shim.ShimMain")
                                && List.of(a).contains(address))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
