package io.jurunc.e2e.shim;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.jurunc.e2e.support.Leftovers;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.ShimDaemons;
import io.jurunc.e2e.support.Spawned;
import io.jurunc.e2e.support.TestImages;
import io.jurunc.e2e.support.Waits;
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
                Path archive = TestImages.buildArchive(builder, name, ref(name), work);
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

    /**
     * Leftover checks for a container run through this containerd: processes naming it, its task
     * bundle, and the state directory under {@code /run/containerd/<backend>}.
     */
    Leftovers.Scope scope(String id, String backend) {
        return Leftovers.Scope.of(
                id,
                containerd.taskBundle(ctr().namespace(), id),
                Path.of("/run/containerd", backend, ctr().namespace(), id));
    }

    /**
     * SIGKILLs task {@code id}, waits until it stopped, deletes the task and the container, and checks
     * that nothing of it is left ({@link #scope}).
     */
    void killAndDelete(String id, String backend) {
        ctr().kill(id, "SIGKILL").requireSuccess();
        assertThat(awaitTask(id, "STOPPED", Duration.ofSeconds(30)))
                .as(id + " stopped: " + task(id))
                .isPresent();
        ctr().deleteTask(id, false).requireSuccess();
        ctr().deleteContainer(id).requireSuccess();
        assertThat(Leftovers.system().find(scope(id, backend))).isEmpty();
    }

    /** The task's pid and status from {@code ctr tasks ls}, if the task exists. */
    Optional<Ctr.TaskRow> task(String id) {
        return ctr().task(id);
    }

    Optional<Ctr.TaskRow> awaitTask(String id, String status, Duration limit) {
        return ctr().awaitTask(id, status, limit);
    }

    /** The shim daemons still running after up to 10 s: a daemon exits asynchronously after Shutdown. */
    List<Long> shimDaemonsAfterGrace() {
        return Waits.whileNonEmpty(this::shimDaemons, Duration.ofSeconds(10));
    }

    /** SIGTERMs this containerd's shim daemons and waits for them ({@link ShimDaemons#stop}). */
    void stopShimDaemons() {
        ShimDaemons.stop(containerd);
    }

    /** The socket of this containerd's node shim daemon for {@code namespace}. */
    Path nodeSocket(String namespace) {
        return ShimCtrTest.shimSocket(containerd.address().toString(), namespace, "jurunc-node");
    }

    /** The pids of this containerd's shim daemons. */
    List<Long> shimDaemons() {
        return ShimDaemons.of(containerd);
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
            Waits.sleep(Duration.ofMillis(50));
        }
        throw new HarnessException(
                "containerd did not come back after the restart: " + (v == null ? "" : v.describe()));
    }

    @Override
    public void close() {
        cleanup.close();
    }
}
