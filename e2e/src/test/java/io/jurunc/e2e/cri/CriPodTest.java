package io.jurunc.e2e.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * containerd's CRI plugin with runtime handler {@code jurunc}, driven like a kubelet: RunPodSandbox (the
 * pause image is built by the project, networked through CNI) &rarr; CreateContainer &rarr; StartContainer
 * &rarr; StopContainer &rarr; RemoveContainer &rarr; StopPodSandbox &rarr; RemovePodSandbox. The sandbox and its
 * container share one shim daemon (the node's, which stays resident after the pod).
 */
@E2E
class CriPodTest {
    static final String RUNTIME_TOML = """
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.jurunc]
              runtime_type = "io.containerd.jurunc.v2"
              container_annotations = ["com.urunc.unikernel.*"]
              pod_annotations = ["com.urunc.unikernel.*"]
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
            """;

    private final RealHost host = new RealHost();

    @Test
    void aPodRunsThroughTheJuruncHandlerAndIsTornDown() throws Exception {
        try (Cleanup cleanup = new Cleanup()) {
            Path work = Files.createTempDirectory("jurunc-e2e-cri-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            ImageBuilder builder = ImageBuilders.configured(host);
            Path pause = work.resolve("pause.tar");
            builder.build(
                    pauseContext(work.resolve("pause-ctx")),
                    "jurunc.test/pause:latest",
                    ImageBuilder.Format.OCI_ARCHIVE,
                    pause);
            Path plain = work.resolve("plain.tar");
            builder.build(
                    TestImages.context("plain", work.resolve("contexts")),
                    "jurunc.test/plain:latest",
                    ImageBuilder.Format.OCI_ARCHIVE,
                    plain);

            CniNetwork net = cleanup.register(CniNetwork.create(host));
            PrivateContainerd containerd = startCriContainerd(host, cleanup, net);
            containerd.ctr("k8s.io").importImage(pause, "jurunc.test/pause").requireSuccess();
            containerd.ctr("k8s.io").importImage(plain, "jurunc.test/plain").requireSuccess();

            try {
                runPod(cleanup, containerd, net, work);
            } catch (GrpcUnixClient.GrpcCallException e) {
                throw new AssertionError(e.getMessage() + "\ncontainerd log (tail):\n" + tail(containerd.log()), e);
            }
        }
    }

    private void runPod(Cleanup cleanup, PrivateContainerd containerd, CniNetwork net, Path work) throws Exception {
        {
            CriClient cri = new CriClient(containerd.address(), Duration.ofSeconds(90));
            assertThat(cri.version()).isEqualTo("containerd");
            String name = "jurunc-pod-" + UUID.randomUUID().toString().substring(0, 8);
            Path logs = Files.createDirectories(work.resolve("pod-logs"));
            ProtoWriter podConfig = CriClient.podConfig(name, UUID.randomUUID().toString(), logs, Map.of());

            String podId = cri.runPodSandbox(podConfig, "jurunc");
            cleanup.defer("remove pod " + podId, () -> {
                try {
                    cri.stopPodSandbox(podId);
                    cri.removePodSandbox(podId);
                } catch (GrpcUnixClient.GrpcCallException alreadyGone) {
                    // the test removed it (NotFound)
                }
            });
            assertThat(cri.podState(podId)).isEqualTo(CriClient.SANDBOX_READY);
            assertThat(cri.podIp(podId))
                    .as("CNI address")
                    .startsWith(net.subnet().replace("0/24", ""));

            String ctrId = cri.createContainer(
                    podId,
                    podConfig,
                    "app",
                    "jurunc.test/plain:latest",
                    List.of("/bin/busybox", "sh", "-c", "echo app-started; exec /bin/busybox sleep 600"));
            cri.startContainer(ctrId);
            assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_RUNNING);
            assertThat(shimDaemons(containerd))
                    .as("the sandbox and its container share one shim daemon")
                    .hasSize(1);
            awaitLog(logs.resolve("app.log"), "app-started");

            cri.stopContainer(ctrId, 1);
            assertThat(cri.containerState(ctrId)).isEqualTo(CriClient.CONTAINER_EXITED);
            cri.removeContainer(ctrId);
            cri.stopPodSandbox(podId);
            cri.removePodSandbox(podId);
            assertThat(shimDaemons(containerd))
                    .as("the node daemon stays resident after the pod")
                    .hasSize(1);
            stopShimDaemons(containerd);
            assertThat(shimDaemons(containerd))
                    .as("the node daemon stops on SIGTERM")
                    .isEmpty();
            assertThat(net.heldLeases()).as("the pod's address was released").isEmpty();
        }
    }

    /**
     * A private containerd whose CRI plugin has the {@code jurunc} handler, the project's pause image as
     * sandbox image and {@code net} as its CNI network; the node's resident shim daemon is stopped before
     * containerd goes, and containerd is restarted with {@code restrict_oom_score_adj} where root lacks
     * CAP_SYS_RESOURCE. The caller imports its images (namespace {@code k8s.io}).
     */
    static PrivateContainerd startCriContainerd(RealHost host, Cleanup cleanup, CniNetwork net) throws Exception {
        PrivateContainerd containerd = cleanup.register(PrivateContainerd.start(
                c -> c.withSandboxImage("jurunc.test/pause:latest")
                        .withCni(net.confDir(), Path.of("/opt/cni/bin"))
                        .withExtraToml(RUNTIME_TOML),
                List.of(Jurunc.binDir())));
        cleanup.defer("stop the node shim daemon", () -> stopShimDaemons(containerd));
        if (!hasCapSysResource()) {
            restartWithRestrictedOomScoreAdj(host, cleanup, containerd);
        }
        return containerd;
    }

    /**
     * CRI gives the sandbox oom_score_adj -998, which needs CAP_SYS_RESOURCE; where root lacks it (as in
     * some CI sandboxes) every runtime, runc included, fails with "failed to update /proc/self/oom_score_adj".
     * containerd's {@code restrict_oom_score_adj} exists for exactly this.
     */
    static boolean hasCapSysResource() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return true;
    }

    private static void restartWithRestrictedOomScoreAdj(RealHost host, Cleanup cleanup, PrivateContainerd containerd)
            throws Exception {
        ProcessHandle.of(containerd.pid()).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        });
        Path config = containerd.config().configFile();
        String header = "[plugins.\"io.containerd.grpc.v1.cri\"]\n";
        String toml = Files.readString(config);
        Files.writeString(config, toml.replace(header, header + "    restrict_oom_score_adj = true\n"));
        String path = Jurunc.binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        io.jurunc.e2e.support.Spawned again = host.start(
                io.jurunc.e2e.support.Command.of("containerd", "--config", config.toString())
                        .withEnv("PATH", path),
                containerd.dir().resolve("containerd2.out"),
                containerd.log());
        cleanup.defer("stop the restarted containerd", () -> again.stop(Duration.ofSeconds(10)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!containerd.ctr().version().succeeded()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("containerd did not come back with restrict_oom_score_adj");
            }
            Thread.sleep(50);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("level=error") || l.contains("level=warn") || l.contains("jurunc"))
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** A pause image built by the project: busybox sleeping for ever (SIGKILLed on StopPodSandbox). */
    static Path pauseContext(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.copy(TestImages.BUSYBOX, dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("Containerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                CMD ["/bin/busybox", "sleep", "2147483647"]
                """);
        return dir;
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

    private static void stopShimDaemons(PrivateContainerd containerd) {
        for (long pid : shimDaemons(containerd)) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static List<Long> shimDaemons(PrivateContainerd containerd) {
        String address = containerd.address().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> List.of(a).contains("io.jurunc.shim.ShimMain")
                                && List.of(a).contains("-socket")
                                && List.of(a).contains(address))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }
}
