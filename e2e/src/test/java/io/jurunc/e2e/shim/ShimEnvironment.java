package io.jurunc.e2e.shim;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.ImageBuilders;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A private containerd that finds {@code containerd-shim-jurunc-v2} on its PATH, with the test images
 * imported; can restart containerd in place (same root, state and socket) while tasks run.
 */
final class ShimEnvironment implements AutoCloseable {
    static final String RUNTIME = "io.containerd.jurunc.v2";

    private final Host host = new RealHost();
    private final Cleanup cleanup = new Cleanup();
    private final PrivateContainerd containerd;
    private Spawned restarted;

    private ShimEnvironment(UnaryOperator<io.jurunc.e2e.support.ContainerdConfig> config, String... images) {
        if (!Files.isExecutable(Jurunc.shim())) {
            throw new HarnessException("no shim launcher at " + Jurunc.shim() + ": run `mvn -q install -DskipTests`");
        }
        try {
            Path work = Files.createTempDirectory("jurunc-e2e-shim-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            containerd = cleanup.register(PrivateContainerd.start(config, List.of(Jurunc.binDir())));
            // the node's shim daemon is resident: it outlives every container, so stop it before containerd
            cleanup.defer("stop the node shim daemon", this::stopShimDaemons);
            ImageBuilder builder = ImageBuilders.configured(host);
            for (String name : images) {
                Path archive = work.resolve(name + ".tar");
                builder.build(
                        TestImages.context(name, work.resolve("contexts")),
                        ref(name),
                        ImageBuilder.Format.OCI_ARCHIVE,
                        archive);
                containerd.ctr().importImage(archive, "jurunc.test/" + name).requireSuccess();
            }
        } catch (IOException | RuntimeException e) {
            cleanup.close();
            throw e instanceof RuntimeException r ? r : new HarnessException(e.getMessage(), e);
        }
    }

    static ShimEnvironment start(String... images) {
        return new ShimEnvironment(UnaryOperator.identity(), images);
    }

    static ShimEnvironment start(UnaryOperator<io.jurunc.e2e.support.ContainerdConfig> config, String... images) {
        return new ShimEnvironment(config, images);
    }

    static String ref(String image) {
        return "jurunc.test/" + image + ":latest";
    }

    PrivateContainerd containerd() {
        return containerd;
    }

    Ctr ctr() {
        return containerd.ctr();
    }

    /** {@code ctr run --runtime io.containerd.jurunc.v2}. */
    RunSpec shimRun(String image, String id, String... args) {
        return RunSpec.of(ref(image), id, args).withRuntime(RUNTIME);
    }

    /** The task's pid and status, from {@code ctr tasks ls}. */
    Optional<String[]> task(String id) {
        return ctr().tasks().stream()
                .map(r -> r.split("\\s+"))
                .filter(f -> f.length >= 3 && f[0].equals(id))
                .findFirst();
    }

    Optional<String[]> awaitTask(String id, String status, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String[]> t = task(id);
            if (t.isPresent() && t.get()[2].equals(status)) {
                return t;
            }
            sleep(100);
        }
        return Optional.empty();
    }

    /** The shim daemons still running after up to 10 s: a daemon exits asynchronously after Shutdown. */
    List<Long> shimDaemonsAfterGrace() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        List<Long> left = shimDaemons();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = shimDaemons();
        }
        return left;
    }

    /**
     * SIGTERMs this containerd's shim daemons and waits up to 20 s for each to exit; a daemon that exits
     * removes its socket, lock and log.
     */
    void stopShimDaemons() {
        for (long pid : shimDaemons()) {
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

    /** The socket of this containerd's node shim daemon for {@code namespace}. */
    Path nodeSocket(String namespace) {
        return ShimCtrTest.shimSocket(containerd.address().toString(), namespace, "jurunc-node");
    }

    /** The pids of this containerd's shim daemons (command line: the shim's main class, -socket, its address). */
    List<Long> shimDaemons() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> List.of(a).contains("io.jurunc.shim.ShimMain")
                                && List.of(a).contains("-socket")
                                && List.of(a).contains(containerd.address().toString()))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Stops containerd (SIGTERM, shims keep running) and starts it again on the same directories. */
    void restartContainerd() {
        long pid = restarted != null ? restarted.pid() : containerd.pid();
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        });
        String systemPath = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Command cmd = Command.of(
                        "containerd",
                        "--config",
                        containerd.config().configFile().toString())
                .withEnv("PATH", Jurunc.binDir() + ":" + systemPath);
        if (restarted == null) {
            cleanup.defer("stop restarted containerd", () -> {
                for (String id : ctr().ctr(Duration.ofSeconds(10), "containers", "list", "--quiet")
                        .stdout()
                        .split("\n")) {
                    if (!id.isBlank()) {
                        ctr().forceRemove(id.strip());
                    }
                }
                restarted.stop(Duration.ofSeconds(10));
            });
        }
        restarted = host.start(
                cmd,
                containerd.dir().resolve("containerd2.out"),
                containerd.dir().resolve("containerd2.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        CommandResult v = null;
        while (System.nanoTime() < deadline) {
            v = ctr().version();
            if (v.succeeded()) {
                return;
            }
            sleep(50);
        }
        throw new HarnessException(
                "containerd did not come back after the restart: " + (v == null ? "" : v.describe()));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted", e);
        }
    }

    @Override
    public void close() {
        cleanup.close();
    }
}
