package io.jurunc.builder.build;

import io.jurunc.builder.InputException;
import io.jurunc.builder.Timings;
import io.jurunc.builder.bunnyfile.BunnyfileParser;
import io.jurunc.builder.bunnyfile.BunnyfilePlanner;
import io.jurunc.builder.containerfile.Containerfile;
import io.jurunc.builder.containerfile.ContainerfileParser;
import io.jurunc.builder.containerfile.ContainerfilePlanner;
import io.jurunc.builder.image.BaseLayers;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.os.ProcessRunner;
import io.jurunc.builder.os.SystemProcessRunner;
import io.jurunc.builder.output.BuiltImage;
import io.jurunc.builder.output.ContainerdImporter;
import io.jurunc.builder.output.Ctr;
import io.jurunc.builder.output.DockerArchiveWriter;
import io.jurunc.builder.output.OciArchiveWriter;
import io.jurunc.builder.output.OciLayoutWriter;
import io.jurunc.builder.output.Output;
import io.jurunc.builder.output.ProcessCtr;
import io.jurunc.builder.output.RegistryPusher;
import io.jurunc.builder.plan.BaseImage;
import io.jurunc.builder.plan.ImagePlan;
import io.jurunc.builder.registry.BaseImages;
import io.jurunc.builder.registry.BlobCache;
import io.jurunc.builder.registry.Credentials;
import io.jurunc.builder.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The library entry point: {@code new ImageBuilder(...).build(request)} parses the build file,
 * plans one image per platform, writes layers, config and manifest (and an index for several
 * platforms) into a private work directory, then writes every requested output. The work directory
 * is removed afterwards; outputs are written atomically, so a failed build leaves nothing behind.
 */
public final class ImageBuilder {
    private final RegistryClient registry;
    private final BlobCache cache;
    private final Ctr ctr;
    private final ProcessRunner processes;
    private final Path workParent;

    public ImageBuilder(RegistryClient registry, BlobCache cache, Ctr ctr, ProcessRunner processes) {
        this(registry, cache, ctr, processes, null);
    }

    private ImageBuilder(RegistryClient registry, BlobCache cache, Ctr ctr, ProcessRunner processes, Path workParent) {
        this.registry = registry;
        this.cache = cache;
        this.ctr = ctr;
        this.processes = processes;
        this.workParent = workParent;
    }

    /** The same builder with its private work directories made under {@code parent} (default: java.io.tmpdir). */
    public ImageBuilder withWorkParent(Path parent) {
        return new ImageBuilder(registry, cache, ctr, processes, parent);
    }

    /** Real registry client (given credentials), the default blob cache, and {@code ctr} from PATH. */
    public static ImageBuilder standard(Credentials credentials) {
        ProcessRunner runner = new SystemProcessRunner();
        return new ImageBuilder(
                new RegistryClient(credentials), BlobCache.defaultLocation(), new ProcessCtr(runner, "ctr"), runner);
    }

    public BuildResult build(BuildRequest r) {
        if (!Files.isDirectory(r.context())) {
            throw new InputException(
                    "build context " + r.context() + " is not a directory", "give an existing directory as CONTEXT");
        }
        if (r.outputs().isEmpty()) {
            throw new InputException(
                    "no output given", "add --output (oci-dir:DIR, oci:FILE, docker-archive:FILE, registry, ctr)");
        }
        Timings timings = new Timings();
        long t0 = System.nanoTime();
        Path file = BuildFiles.locate(r.context(), r.buildFile());
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), "check the file's permissions", e);
        }
        BuildFiles.Kind kind = BuildFiles.detect(text);
        BlobStore store = BlobStore.temporary(workParent);
        try {
            Path scratch = Files.createDirectories(store.directory().resolve("scratch"));
            BaseImages bases = new BaseImages(registry, cache, store);
            ImageAssembler assembler = new ImageAssembler(store, r.created(), r.compressionLevel(), timings);
            List<Platform> wanted = r.platforms().isEmpty() ? java.util.Collections.singletonList(null) : r.platforms();
            List<Descriptor> manifests = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            Containerfile cf = kind == BuildFiles.Kind.CONTAINERFILE ? ContainerfileParser.parse(file, text) : null;
            timings.add("read and parse the build file", System.nanoTime() - t0);
            for (Platform p : wanted) {
                long tPlan = System.nanoTime();
                ImagePlan plan = switch (kind) {
                    case CONTAINERFILE ->
                        ContainerfilePlanner.plan(
                                cf,
                                new ContainerfilePlanner.Options(r.context(), scratch, p, r.buildArgs(), r.kernel()),
                                bases);
                    case BUNNYFILE ->
                        BunnyfilePlanner.plan(
                                BunnyfileParser.parse(file, text),
                                new BunnyfilePlanner.Options(r.context(), scratch, p, r.created()),
                                bases,
                                processes);
                };
                if (!seen.add(plan.platform().toString())) {
                    throw new InputException(
                            "platform " + plan.platform() + " given twice", "list each --platform once");
                }
                BaseLayers base = plan.base() instanceof BaseImage.Remote remote
                        ? bases.resolve(remote.reference(), plan.platform()).layers()
                        : null;
                timings.add("plan (context walk, base image pull)", System.nanoTime() - tPlan);
                manifests.add(assembler.assemble(plan, base));
            }
            Descriptor top = manifests.size() == 1 ? manifests.getFirst() : assembler.index(manifests, Map.of());
            BuiltImage image = new BuiltImage(store, top, manifests, r.name());
            List<String> written = new ArrayList<>();
            for (Output o : r.outputs()) {
                written.add(timings.time("output " + o.getClass().getSimpleName(), () -> write(image, o, r, scratch)));
            }
            return new BuildResult(top, manifests, written, timings.phases());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            long tClean = System.nanoTime();
            store.close();
            timings.add("remove the work directory", System.nanoTime() - tClean);
        }
    }

    private String write(BuiltImage image, Output o, BuildRequest r, Path scratch) {
        return switch (o) {
            case Output.OciLayout l -> {
                new OciLayoutWriter().write(image, l.directory());
                yield "oci layout " + l.directory() + " (tag " + image.name().tagOrDigest() + ")";
            }
            case Output.OciArchive a -> {
                new OciArchiveWriter(r.created()).write(image, a.file());
                yield "oci archive " + a.file();
            }
            case Output.DockerArchive d -> {
                new DockerArchiveWriter(r.created()).write(image, d.file());
                yield "docker archive " + d.file();
            }
            case Output.Registry g -> {
                ImageReference target = g.reference() != null ? g.reference() : image.name();
                RegistryPusher.Pushed p = new RegistryPusher(registry).push(image, target);
                yield "pushed " + target + "@" + p.digest() + " (" + p.uploaded() + " blobs uploaded, " + p.skipped()
                        + " already there)";
            }
            case Output.Containerd c -> {
                new ContainerdImporter(ctr, r.created()).importImage(image, c, scratch);
                yield "imported " + image.name() + " into containerd " + c.address() + " namespace " + c.namespace();
            }
        };
    }
}
