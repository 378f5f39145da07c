package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a jurunc end-to-end class needs, set up once per class: preflight checks with a fix for
 * each missing piece, the named test images built with the project's builder, a private containerd
 * with those images imported. {@link #close()} removes it all.
 */
public final class E2eEnvironment implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Host host;
    private final Cleanup cleanup;
    private final Path work;
    private final PrivateContainerd containerd;
    private final Map<String, String> images;

    private E2eEnvironment(
            Host host, Cleanup cleanup, Path work, PrivateContainerd containerd, Map<String, String> images) {
        this.host = host;
        this.cleanup = cleanup;
        this.work = work;
        this.containerd = containerd;
        this.images = Map.copyOf(images);
    }

    /** Checks the machine, builds and imports {@code imageNames} (directories under {@code e2e/images}). */
    public static E2eEnvironment start(String... imageNames) {
        return start(List.of(imageNames), List.of(), false);
    }

    /** Like {@link #start(String...)}, for unikernel images whose contexts the test describes. */
    public static E2eEnvironment start(List<UnikernelImage> unikernelImages) {
        return start(List.of(), unikernelImages, false);
    }

    /**
     * Like {@link #start(List)}, with {@code containerd-shim-jurunc-v2} on containerd's PATH, for
     * {@code ctr run --runtime io.containerd.jurunc.v2}.
     */
    public static E2eEnvironment startWithShim(List<UnikernelImage> unikernelImages) {
        if (!Files.isExecutable(Jurunc.shim())) {
            throw new HarnessException("no shim launcher at " + Jurunc.shim() + ": run `mvn -q install -DskipTests`");
        }
        return start(List.of(), unikernelImages, true);
    }

    private static E2eEnvironment start(
            List<String> imageNames, List<UnikernelImage> unikernelImages, boolean shimOnPath) {
        Host host = new RealHost();
        preflight(host);
        Cleanup cleanup = new Cleanup();
        try {
            Path work = Files.createTempDirectory("jurunc-e2e-work-");
            cleanup.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
            ImageBuilder builder = ImageBuilders.configured(host);
            Map<String, Path> archives = new LinkedHashMap<>();
            for (String name : imageNames) {
                archives.put(name, TestImages.buildArchive(builder, name, reference(name), work));
            }
            for (UnikernelImage image : unikernelImages) {
                Path archive = work.resolve(image.name() + ".tar");
                builder.build(
                        image.context(work.resolve("contexts")),
                        reference(image.name()),
                        ImageBuilder.Format.OCI_ARCHIVE,
                        archive);
                archives.put(image.name(), archive);
            }
            PrivateContainerd containerd = cleanup.register(
                    shimOnPath
                            ? PrivateContainerd.start(
                                    java.util.function.UnaryOperator.identity(), List.of(Jurunc.binDir()))
                            : PrivateContainerd.start());
            Map<String, String> refs = new LinkedHashMap<>();
            for (var e : archives.entrySet()) {
                containerd
                        .ctr()
                        .importImage(e.getValue(), "jurunc.test/" + e.getKey())
                        .requireSuccess();
                refs.put(e.getKey(), reference(e.getKey()));
            }
            List<String> present = containerd.ctr().images();
            for (String ref : refs.values()) {
                if (!present.contains(ref)) {
                    throw new HarnessException("image " + ref + " not in containerd after import; present: " + present);
                }
            }
            return new E2eEnvironment(host, cleanup, work, containerd, refs);
        } catch (RuntimeException | IOException e) {
            try {
                cleanup.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e instanceof RuntimeException r ? r : new HarnessException(e.getMessage(), e);
        }
    }

    public static String reference(String imageName) {
        return "jurunc.test/" + imageName + ":latest";
    }

    /** Fails fast, naming the fix, when the machine or the build is not ready for e2e tests. */
    static void preflight(Host host) {
        List<String> problems = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            problems.add("the e2e tests need root (containerd, netns, taps)");
        }
        if (!Jurunc.built()) {
            problems.add("no jurunc launcher at " + Jurunc.cli() + ": run `mvn -q install -DskipTests` at the repo root"
                    + " (or pass -Djurunc.bin=/usr/local/bin/jurunc)");
        }
        if (!Files.isDirectory(Jurunc.kit())) {
            problems.add("no guest kit at " + Jurunc.kit() + ": run scripts/build-kit.sh");
        }
        for (String tool : List.of("containerd", "ctr", "qemu-system-x86_64", "unshare", "nsenter", "ip")) {
            if (!host.run(Command.of("sh", "-c", "command -v " + tool)).succeeded()) {
                problems.add(tool + " is missing: run scripts/install-deps.sh");
            }
        }
        if (!Files.isExecutable(TestImages.BUSYBOX) || !Files.isDirectory(Path.of("/opt/cni/bin"))) {
            problems.add("busybox-static or the CNI plugins (/opt/cni/bin) are missing: run scripts/install-deps.sh");
        }
        if (!problems.isEmpty()) {
            throw new HarnessException("e2e preflight failed:\n  - " + String.join("\n  - ", problems));
        }
    }

    public Host host() {
        return host;
    }

    public PrivateContainerd containerd() {
        return containerd;
    }

    public Ctr ctr() {
        return containerd.ctr();
    }

    public String image(String name) {
        String ref = images.get(name);
        if (ref == null) {
            throw new HarnessException("image " + name + " was not built for this class; built: " + images.keySet());
        }
        return ref;
    }

    public Path work() {
        return work;
    }

    /** A fresh container id: {@code e2e-<what>-<8 hex>}. */
    public static String newId(String what) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return "e2e-" + what + "-" + HexFormat.of().formatHex(b);
    }

    /** The runtime's state directory for a container run by the runc shim without --runc-root. */
    public Path runtimeStateDir(String id) {
        return Path.of("/run/containerd/runc", ctr().namespace(), id);
    }

    /**
     * Leftover checks for a container run through containerd: processes naming it, the runtime state
     * dir, the containerd task bundle, and any entry named after it under {@code /run/containerd} or the
     * private containerd's root and state.
     */
    public Leftovers.Scope scope(String id) {
        return Leftovers.Scope.of(id, runtimeStateDir(id), containerd.taskBundle(ctr().namespace(), id))
                .withSearchRoot(Path.of("/run/containerd"))
                .withSearchRoot(containerd.config().state())
                .withSearchRoot(containerd.config().root());
    }

    /** A {@code ctr run} of one of this class's images through {@code --runc-binary jurunc}. */
    public RunSpec juruncRun(String imageName, String id, String... args) {
        return RunSpec.of(image(imageName), id, args).withRuncBinary(Jurunc.cli());
    }

    /** The task's pid and status from {@code ctr tasks ls}, if the task exists. */
    public Optional<Ctr.TaskRow> task(String id) {
        return ctr().task(id);
    }

    /** Polls until the task reports {@code status} (RUNNING, STOPPED, ...) or the limit passes. */
    public Optional<Ctr.TaskRow> awaitTask(String id, String status, Duration limit) {
        return ctr().awaitTask(id, status, limit);
    }

    /** Registers a resource to be closed with the environment. */
    public <T extends AutoCloseable> T register(T resource) {
        return cleanup.register(resource);
    }

    @Override
    public void close() {
        cleanup.close();
    }
}
