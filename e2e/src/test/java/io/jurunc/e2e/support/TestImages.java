package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Containerfiles under {@code e2e/images/<name>/} and their build contexts: each context is copied
 * to a temp directory and gets the host's static busybox as {@code ./busybox}.
 */
public final class TestImages {

    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private TestImages() {}

    /** {@code e2e/images} of this checkout. */
    public static Path imagesDir() {
        return Jurunc.repo().resolve("e2e/images");
    }

    public static List<String> names() {
        try (Stream<Path> s = Files.list(imagesDir())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("Containerfile")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new HarnessException("cannot list " + imagesDir(), e);
        }
    }

    /**
     * Builds test image {@code name} as {@code reference} with {@code builder} into an OCI archive
     * under {@code work} (its context under {@code work/contexts}); returns the archive.
     */
    public static Path buildArchive(ImageBuilder builder, String name, String reference, Path work) {
        Path archive = work.resolve(name + ".tar");
        builder.build(context(name, work.resolve("contexts")), reference, ImageBuilder.Format.OCI_ARCHIVE, archive);
        return archive;
    }

    /** Copies {@code e2e/images/<name>} into {@code into} and adds busybox; returns the context. */
    public static Path context(String name, Path into) {
        Path src = imagesDir().resolve(name);
        if (!Files.isRegularFile(src.resolve("Containerfile"))) {
            throw new HarnessException("no test image " + name + " (expected " + src.resolve("Containerfile") + ")");
        }
        Path ctx = into.resolve(name);
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path dst = ctx.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.copy(BUSYBOX, ctx.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            return ctx;
        } catch (IOException e) {
            throw new HarnessException("cannot prepare the build context of " + name + ": " + e.getMessage(), e);
        }
    }
}
