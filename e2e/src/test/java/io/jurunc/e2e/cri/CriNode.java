package io.jurunc.e2e.cri;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CniNetwork;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.ShimDaemons;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One test's Kubernetes node: a work dir, a CNI network and a private containerd whose CRI plugin has the
 * {@code jurunc} handler, the project's pause image as sandbox image and that network; a CRI client on it.
 * Everything goes with the test's {@link Cleanup}, the node's resident shim daemon before containerd.
 */
final class CriNode {
    static final String RUNTIME_TOML = """
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.jurunc]
              runtime_type = "io.containerd.jurunc.v2"
              container_annotations = ["com.urunc.unikernel.*"]
              pod_annotations = ["com.urunc.unikernel.*"]
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
            """;

    /** A pod sandbox: its id, the config its containers are created with, and its log directory. */
    record Pod(String id, ProtoWriter config, Path logs) {}

    private final Cleanup cleanup;
    final Path work;
    final CniNetwork net;
    final PrivateContainerd containerd;
    final CriClient cri;

    private CriNode(Cleanup cleanup, Path work, CniNetwork net, PrivateContainerd containerd) {
        this.cleanup = cleanup;
        this.work = work;
        this.net = net;
        this.containerd = containerd;
        this.cri = new CriClient(containerd.address(), Duration.ofSeconds(90));
    }

    /** Builds and imports the pause image and starts the node; {@code workPrefix} names its temp dir. */
    static CriNode start(RealHost host, Cleanup cleanup, String workPrefix) throws Exception {
        Path work = Files.createTempDirectory(workPrefix);
        cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
        Path pause = work.resolve("pause.tar");
        ImageBuilders.configured(host)
                .build(
                        pauseContext(work.resolve("pause-ctx")),
                        "jurunc.test/pause:latest",
                        ImageBuilder.Format.OCI_ARCHIVE,
                        pause);
        CniNetwork net = cleanup.register(CniNetwork.create(host));
        CriNode node = new CriNode(cleanup, work, net, startContainerd(host, cleanup, net));
        node.importImage(pause, "jurunc.test/pause");
        return node;
    }

    /** Builds {@code e2e/images/<name>} as {@code jurunc.test/<name>:latest} and imports it. */
    void importTestImage(RealHost host, String name) {
        Path archive = work.resolve(name + ".tar");
        ImageBuilders.configured(host)
                .build(
                        TestImages.context(name, work.resolve("contexts")),
                        "jurunc.test/" + name + ":latest",
                        ImageBuilder.Format.OCI_ARCHIVE,
                        archive);
        importImage(archive, "jurunc.test/" + name);
    }

    void importImage(Path archive, String baseName) {
        containerd.ctr("k8s.io").importImage(archive, baseName).requireSuccess();
    }

    /** RunPodSandbox with the {@code jurunc} handler; the clean-up removes the pod if the test did not. */
    Pod runPod(String namePrefix) throws Exception {
        String name = namePrefix + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Files.createDirectories(work.resolve("pod-logs"));
        ProtoWriter config = CriClient.podConfig(name, UUID.randomUUID().toString(), logs, Map.of());
        String id = cri.runPodSandbox(config, "jurunc");
        cleanup.defer("remove pod " + id, () -> {
            try {
                cri.stopPodSandbox(id);
                cri.removePodSandbox(id);
            } catch (GrpcUnixClient.GrpcCallException alreadyGone) {
                // the test removed it (NotFound)
            }
        });
        return new Pod(id, config, logs);
    }

    /** StopPodSandbox and RemovePodSandbox. */
    void removePod(Pod pod) throws Exception {
        cri.stopPodSandbox(pod.id());
        cri.removePodSandbox(pod.id());
    }

    List<Long> shimDaemons() {
        return ShimDaemons.of(containerd);
    }

    /** The last lines of the node shim daemons' logs (next to their sockets), for a test's report. */
    String shimLogTail(int lines) {
        StringBuilder out = new StringBuilder();
        for (long pid : shimDaemons()) {
            List<String> args = ProcessHandle.of(pid)
                    .flatMap(p -> p.info().arguments())
                    .map(List::of)
                    .orElse(List.of());
            int i = args.indexOf("-socket");
            if (i < 0 || i + 1 >= args.size()) continue;
            Path log = Path.of(args.get(i + 1).replaceFirst("^unix://", "") + ".log");
            try {
                List<String> all = Files.readAllLines(log);
                out.append("shim daemon ").append(pid).append(" (").append(log).append("):\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("shim daemon ")
                        .append(pid)
                        .append(": no log at ")
                        .append(log)
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** A failed CRI call with the errors and warnings of containerd's log, for the test's report. */
    AssertionError explain(GrpcUnixClient.GrpcCallException e) {
        return new AssertionError(e.getMessage() + "\ncontainerd log (tail):\n" + tail(containerd.log()), e);
    }

    /**
     * The node's containerd; the resident shim daemon is stopped before containerd goes, and containerd is
     * restarted with {@code restrict_oom_score_adj} where root lacks CAP_SYS_RESOURCE.
     */
    private static PrivateContainerd startContainerd(RealHost host, Cleanup cleanup, CniNetwork net) throws Exception {
        PrivateContainerd containerd = cleanup.register(PrivateContainerd.start(
                c -> c.withSandboxImage("jurunc.test/pause:latest")
                        .withCni(net.confDir(), Path.of("/opt/cni/bin"))
                        .withExtraToml(RUNTIME_TOML),
                List.of(Jurunc.binDir())));
        cleanup.defer("stop the node shim daemon", () -> ShimDaemons.stop(containerd));
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
    static boolean hasCapSysResource() throws IOException {
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
            p.onExit().orTimeout(20, TimeUnit.SECONDS).join();
        });
        Path config = containerd.config().configFile();
        String header = "[plugins.\"io.containerd.grpc.v1.cri\"]\n";
        String toml = Files.readString(config);
        Files.writeString(config, toml.replace(header, header + "    restrict_oom_score_adj = true\n"));
        String path = Jurunc.binDir() + ":" + System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Spawned again = host.start(
                Command.of("containerd", "--config", config.toString()).withEnv("PATH", path),
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
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** A pause image built by the project: busybox sleeping for ever (SIGKILLed on StopPodSandbox). */
    static Path pauseContext(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(TestImages.BUSYBOX, dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("Containerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                CMD ["/bin/busybox", "sleep", "2147483647"]
                """);
        return dir;
    }
}
