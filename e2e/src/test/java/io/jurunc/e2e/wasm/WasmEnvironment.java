package io.jurunc.e2e.wasm;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.HarnessException;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.JuruncImageBuilder;
import io.jurunc.e2e.support.PrivateContainerd;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.ShimDaemons;
import io.jurunc.e2e.support.WasmProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A WASM image built by {@code jurunc build} from the module the unit tests use (wasm/…/probe.c, compiled here
 * by clang-14 for wasm32-wasi), imported into a private containerd whose PATH has jurunc's shim.
 */
final class WasmEnvironment implements AutoCloseable {
    static final String IMAGE = "jurunc.test/wasm-probe:latest";
    static final String SHIM = "io.containerd.jurunc.v2";
    private final Host host = new RealHost();
    private final Cleanup cleanup = new Cleanup();
    private final Path work;
    private final Path archive;
    private final PrivateContainerd containerd;

    private WasmEnvironment(UnaryOperator<io.jurunc.e2e.support.ContainerdConfig> config) {
        if (!Jurunc.built() || !Files.isExecutable(Jurunc.shim())) {
            throw new HarnessException(
                    "no jurunc launchers under " + Jurunc.binDir() + ": run `mvn -q install -DskipTests`");
        }
        try {
            work = Files.createTempDirectory("jurunc-e2e-wasm-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            archive = buildImage(host, work);
            containerd = cleanup.register(PrivateContainerd.start(config, List.of(Jurunc.binDir())));
            cleanup.defer("stop the shim daemons", () -> ShimDaemons.stop(containerd));
            ctr().ctr(Duration.ofMinutes(2), "images", "import", "--all-platforms", archive.toString())
                    .requireSuccess();
        } catch (IOException | RuntimeException e) {
            cleanup.close();
            throw e instanceof RuntimeException r ? r : new HarnessException(e.getMessage(), e);
        }
    }

    static WasmEnvironment start() {
        return new WasmEnvironment(UnaryOperator.identity());
    }

    static WasmEnvironment start(UnaryOperator<io.jurunc.e2e.support.ContainerdConfig> config) {
        return new WasmEnvironment(config);
    }

    /** Compiles the probe module and builds the image: FROM scratch, the module, a file, the label. */
    static Path buildImage(Host host, Path work) throws IOException {
        Path context = WasmProbe.context(host, work.resolve("context"), """
                FROM scratch
                COPY app.wasm /app.wasm
                COPY greeting /etc/greeting
                ENTRYPOINT ["/app.wasm"]
                CMD ["hello"]
                LABEL com.urunc.unikernel.unikernelType=wasm
                """);
        Path out = work.resolve("wasm-probe.tar");
        new JuruncImageBuilder(host, Jurunc.cli()).build(context, IMAGE, ImageBuilder.Format.OCI_ARCHIVE, out);
        return out;
    }

    Path work() {
        return work;
    }

    Path archive() {
        return archive;
    }

    Host host() {
        return host;
    }

    PrivateContainerd containerd() {
        return containerd;
    }

    Ctr ctr() {
        return containerd.ctr();
    }

    /** {@code ctr run --platform wasi/wasm} through containerd's runc shim with the jurunc CLI as its runtime. */
    RunSpec viaCli(String id, String... args) {
        return RunSpec.of(IMAGE, id, args).withRuncBinary(Jurunc.cli()).withFlag("--platform", "wasi/wasm");
    }

    /** {@code ctr run --platform wasi/wasm --runtime io.containerd.jurunc.v2}. */
    RunSpec viaShim(String id, String... args) {
        return RunSpec.of(IMAGE, id, args).withRuntime(SHIM).withFlag("--platform", "wasi/wasm");
    }

    /** The task's pid and status from {@code ctr tasks ls}, if the task exists. */
    Optional<Ctr.TaskRow> task(String id) {
        return ctr().task(id);
    }

    Optional<Ctr.TaskRow> awaitTask(String id, String status, Duration limit) {
        return ctr().awaitTask(id, status, limit);
    }

    CommandResult removeQuietly(String id) {
        ctr().forceRemove(id);
        return ctr().ctr("containers", "ls", "-q");
    }

    /** This containerd's jurunc shim daemons. */
    List<Long> shimDaemons() {
        return ShimDaemons.of(containerd);
    }

    @Override
    public void close() {
        cleanup.close();
    }
}
