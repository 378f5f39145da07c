package io.jurunc.builder.bunnyfile;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.KernelArch;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.layer.BlockImageMaker;
import io.jurunc.builder.layer.CpioNewcWriter;
import io.jurunc.builder.os.ProcessRunner;
import io.jurunc.builder.plan.BaseImage;
import io.jurunc.builder.plan.BaseImageResolver;
import io.jurunc.builder.plan.ConfigChanges;
import io.jurunc.builder.plan.ContextCopier;
import io.jurunc.builder.plan.FileEntry;
import io.jurunc.builder.plan.ImagePaths;
import io.jurunc.builder.plan.ImagePlan;
import io.jurunc.builder.plan.ImageTree;
import io.jurunc.builder.plan.LayerSpec;
import io.jurunc.builder.urunc.UruncMetadata;
import io.jurunc.urunc.UruncKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans an image from a bunnyfile as bunny does: the kernel at {@code /.boot/kernel} (or in place in
 * its image), the rootfs at {@code /.boot/rootfs} (a newc cpio for initrd, an ext4/erofs image for
 * block) or as the image's own tree (raw), bunny's annotation table, and {@code /urunc.json}.
 * Unlike bunny, {@code platforms.architecture} is honoured and block images are really built.
 */
public final class BunnyfilePlanner {
    public static final String KERNEL_PATH = "/.boot/kernel";
    public static final String ROOTFS_PATH = "/.boot/rootfs";

    public record Options(Path context, Path scratch, Platform platform, Instant mtime) {}

    private final Bunnyfile b;
    private final Options o;
    private final BaseImageResolver resolver;
    private final ProcessRunner processes;
    private final List<LayerSpec> layers = new ArrayList<>();
    private final ImageTree tree = new ImageTree();
    private Platform platform;

    private BunnyfilePlanner(Bunnyfile b, Options o, BaseImageResolver resolver, ProcessRunner processes) {
        this.b = b;
        this.o = o;
        this.resolver = resolver;
        this.processes = processes;
    }

    public static ImagePlan plan(Bunnyfile b, Options o, BaseImageResolver resolver, ProcessRunner processes) {
        return new BunnyfilePlanner(b, o, resolver, processes).run();
    }

    private ImagePlan run() {
        String framework = b.platforms().framework();
        boolean unikraft = framework.equals("unikraft");
        platform = o.platform();
        if (b.platforms().architecture() != null
                && !b.platforms().architecture().isBlank()) {
            Platform declared =
                    Platform.linux(Platform.normaliseArch(b.platforms().architecture()));
            if (platform != null && !platform.architecture().equals(declared.architecture())) {
                throw new BuildFileException(
                        b.platforms().location(),
                        "platforms.architecture is " + b.platforms().architecture() + " but the build asks for "
                                + platform,
                        "drop --platform or change platforms.architecture");
            }
            platform = declared;
        }
        Bunnyfile.Rootfs r = b.rootfs();
        String type = r == null ? null : r.type();
        if (type == null) {
            type = unikraft ? "initrd" : "raw";
        } else if (unikraft && type.equals("block")) {
            throw new BuildFileException(
                    r.location(),
                    "Cannot set " + type + " rootfs type for " + framework,
                    "use initrd or raw for unikraft");
        }
        boolean hasRootfs = r != null && (r.path() != null || !r.include().isEmpty() || !Bunnyfile.isScratch(r.from()));

        // base image and kernel
        BaseImage base = BaseImage.scratch();
        String binary;
        Bunnyfile.Kernel k = b.kernel();
        boolean rootfsFromImage = hasRootfs && !Bunnyfile.isScratch(r.from()) && !Bunnyfile.isLocal(r.from());
        if (rootfsFromImage) {
            base = new BaseImage.Remote(ref(r.from(), r.location()));
        }
        if (Bunnyfile.isLocal(k.from())) {
            Path src = local(k.path(), k.location(), "kernel");
            detectArch(new FileEntry.Content.OnDisk(src, realContext()), k.location());
            add(
                    List.of(FileEntry.file(rel(KERNEL_PATH), src, realContext(), 0755)),
                    "bunnyfile: kernel " + k.path() + " -> " + KERNEL_PATH);
            binary = KERNEL_PATH;
        } else {
            ImageReference kref = ref(k.from(), k.location());
            if (base instanceof BaseImage.Scratch
                    || ((BaseImage.Remote) base).reference().equals(kref)) {
                base = new BaseImage.Remote(kref);
                binary = ImagePaths.absolute("/", k.path());
                checkBaseFile(kref, binary, k.location(), true);
            } else {
                Path tmp = fromImage(kref, k.path(), k.location(), true);
                add(
                        List.of(FileEntry.file(rel(KERNEL_PATH), tmp, 0755)),
                        "bunnyfile: kernel from " + kref + " -> " + KERNEL_PATH);
                binary = KERNEL_PATH;
            }
        }
        if (platform == null && base instanceof BaseImage.Remote rb) {
            platform = resolver.resolve(rb.reference(), null).platform();
        }
        if (platform == null) {
            platform = Platform.host();
        }

        // rootfs
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(UruncKeys.TYPE, framework);
        ann.put(UruncKeys.HYPERVISOR, b.platforms().monitor());
        ann.put(UruncKeys.BINARY, binary);
        ann.put(UruncKeys.CMDLINE, String.join(" ", b.cmd()));
        ann.put(UruncKeys.MOUNT_ROOTFS, hasRootfs && type.equals("raw") ? "true" : "false");
        if (b.platforms().version() != null && !b.platforms().version().isBlank()) {
            ann.put(UruncKeys.VERSION, b.platforms().version());
        }
        if (hasRootfs) {
            String rootfsPath = rootfs(r, type);
            if (type.equals("initrd")) {
                ann.put(UruncKeys.INITRD, rootfsPath);
            } else if (type.equals("block")) {
                ann.put(UruncKeys.BLOCK, rootfsPath);
                ann.put(UruncKeys.BLK_MNT_POINT, framework.equals("rumprun") ? "/data" : "/");
            }
        }
        UruncMetadata meta =
                UruncMetadata.from(ann, key -> b.location(), b.location()).orElseThrow();
        layers.add(new LayerSpec(
                List.of(FileEntry.bytes("urunc.json", meta.uruncJson(), 0644)), "bunnyfile: /urunc.json"));
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : b.envs()) {
            int eq = e.indexOf('=');
            int colon = e.indexOf(':');
            int at = eq > 0 ? eq : colon;
            if (at <= 0) {
                throw new BuildFileException(
                        b.location(), "envs entry \"" + e + "\" is not KEY=VALUE", "write envs: [\"KEY=VALUE\"]");
            }
            env.put(e.substring(0, at), e.substring(at + 1));
        }
        ConfigChanges cfg = new ConfigChanges(
                env,
                b.cmd().isEmpty() ? null : b.cmd(),
                b.entrypoint().isEmpty() ? null : b.entrypoint(),
                false,
                null,
                null,
                meta.values(),
                List.of());
        return new ImagePlan(platform, base, layers, cfg, meta.values());
    }

    /** Adds the rootfs and returns its path in the image (for initrd/block annotations). */
    private String rootfs(Bunnyfile.Rootfs r, String type) {
        if (r.path() != null) {
            if (Bunnyfile.isLocal(r.from())) {
                Path src = local(r.path(), r.location(), "rootfs");
                add(
                        List.of(FileEntry.file(rel(ROOTFS_PATH), src, realContext(), 0644)),
                        "bunnyfile: rootfs " + r.path() + " -> " + ROOTFS_PATH);
                return ROOTFS_PATH;
            }
            checkBaseFile(ref(r.from(), r.location()), ImagePaths.absolute("/", r.path()), r.location(), false);
            return ImagePaths.absolute("/", r.path());
        }
        List<FileEntry> files = includes(r);
        if (type.equals("raw")) {
            if (!files.isEmpty()) {
                add(files, "bunnyfile: rootfs include");
            }
            return "/";
        }
        try {
            Path out = Files.createTempFile(o.scratch(), "rootfs-", "." + type);
            if (type.equals("initrd")) {
                try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(out))) {
                    new CpioNewcWriter(o.mtime()).write(files, os);
                }
            } else {
                Files.delete(out);
                Path staging = Files.createTempDirectory(o.scratch(), "block-");
                new BlockImageMaker(processes, o.mtime().equals(Instant.EPOCH) ? Instant.ofEpochSecond(1) : o.mtime())
                        .make(files, r.fs() == null ? "ext4" : r.fs(), staging, out);
            }
            add(
                    List.of(FileEntry.file(rel(ROOTFS_PATH), out, 0644)),
                    "bunnyfile: " + type + " rootfs -> " + ROOTFS_PATH);
            return ROOTFS_PATH;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<FileEntry> includes(Bunnyfile.Rootfs r) {
        ContextCopier copier = new ContextCopier(o.context(), o.scratch());
        List<FileEntry> out = new ArrayList<>();
        ImageTree local = new ImageTree();
        for (Bunnyfile.Include inc : r.include()) {
            String dest = ImagePaths.absolute("/", inc.destination())
                    + (inc.destination().endsWith("/") ? "/" : "");
            List<FileEntry> e;
            if (Bunnyfile.isLocal(inc.from())) {
                e = copier.copy(
                        new ContextCopier.Request(
                                inc.location(), "include", List.of(inc.source()), dest, null, 0, 0, false),
                        local);
            } else {
                Path tmp = fromImage(ref(inc.from(), inc.location()), inc.source(), inc.location(), false);
                String target = dest.endsWith("/")
                        ? ImagePaths.join(
                                rel(dest), Path.of(inc.source()).getFileName().toString())
                        : rel(dest);
                e = List.of(FileEntry.file(target, tmp, 0755));
            }
            local.add(e);
            out.addAll(e);
        }
        return out;
    }

    private void add(List<FileEntry> entries, String createdBy) {
        layers.add(new LayerSpec(entries, createdBy));
        tree.add(entries);
    }

    /**
     * A local file named by the bunnyfile: inside the context (a relative context such as "." is
     * made absolute first), a regular file, and its real path (links followed) still inside the
     * context's real path.
     */
    private Path local(String path, Location at, String what) {
        Path ctx = o.context().toAbsolutePath().normalize();
        Path p = ctx.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(ctx)) {
            throw new BuildFileException(
                    at, what + " " + path + " is outside the build context", "move it into the context");
        }
        if (!Files.isRegularFile(p)) {
            throw new BuildFileException(
                    at,
                    what + " " + path + " does not exist in the build context " + o.context(),
                    "check the path (it is relative to the context) or add the file");
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(realContext())) {
                throw new BuildFileException(
                        at,
                        what + " " + path + " leads out of the build context through a symlink",
                        "copy the file into the context instead of linking to it");
            }
            return real;
        } catch (IOException e) {
            throw new BuildFileException(
                    at,
                    "cannot resolve " + what + " " + path + " (" + e.getClass().getSimpleName() + ")",
                    "check the path and any symlinks on it");
        }
    }

    /** The context's real path: local files are checked against it, and opened below it without following links. */
    private Path realContext() {
        try {
            return o.context().toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void detectArch(FileEntry.Content.OnDisk kernel, Location at) {
        Optional<String> arch;
        try (InputStream in = java.nio.channels.Channels.newInputStream(kernel.open())) {
            arch = KernelArch.detect(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (arch.isPresent()) {
            if (platform != null && !platform.architecture().equals(arch.get())) {
                throw new BuildFileException(
                        at,
                        "kernel is an " + arch.get() + " binary but the platform is " + platform,
                        "fix platforms.architecture or --platform, or use the " + platform.architecture() + " kernel");
            }
            if (platform == null) {
                platform = Platform.linux(arch.get());
            }
        }
    }

    private void checkBaseFile(ImageReference ref, String path, Location at, boolean kernel) {
        try (InputStream in = resolver.resolve(ref, platform)
                .open(path)
                .orElseThrow(() -> new BuildFileException(
                        at, path + " is not in image " + ref, "check the path inside the image"))) {
            if (kernel) {
                Optional<String> arch = KernelArch.detect(in);
                if (arch.isPresent()
                        && platform != null
                        && !platform.architecture().equals(arch.get())) {
                    throw new BuildFileException(
                            at,
                            "kernel in " + ref + " is " + arch.get() + " but the platform is " + platform,
                            "fix platforms.architecture or --platform");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fromImage(ImageReference ref, String path, Location at, boolean kernel) {
        try (InputStream in = resolver.resolve(ref, platform)
                .open(ImagePaths.absolute("/", path))
                .orElseThrow(() -> new BuildFileException(
                        at, path + " is not a file in image " + ref, "check the path inside the image"))) {
            Path tmp = Files.createTempFile(o.scratch(), "from-image-", ".bin");
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (kernel) {
                detectArch(new FileEntry.Content.OnDisk(tmp), at);
            }
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageReference ref(String text, Location at) {
        try {
            return ImageReference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BuildFileException(
                    at,
                    "bad image reference \"" + text + "\": " + e.getMessage(),
                    "write local, scratch or [REGISTRY/]NAME[:TAG]");
        }
    }

    private static String rel(String abs) {
        return ImagePaths.relative(abs);
    }
}
