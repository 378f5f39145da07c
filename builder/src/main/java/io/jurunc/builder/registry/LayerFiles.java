package io.jurunc.builder.registry;

import io.jurunc.builder.RegistryException;
import io.jurunc.builder.plan.ImagePaths;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one file out of an image's layers as a container runtime would see it, applying the OCI
 * layer rules: a whiteout {@code .wh.NAME} removes NAME and everything under it from the layers
 * below, an opaque whiteout {@code .wh..wh..opq} empties its directory of the layers below, a
 * non-directory entry on a path's parent hides the path, and a hard link has the content of the
 * file it names. Every layer is untrusted: decompressed bytes read and the extracted file are capped.
 */
public final class LayerFiles {
    /** One layer blob on disk and whether it is gzipped. */
    public record Layer(Path blob, boolean gzip) {}

    /** Caps on what reading a layer may cost: uncompressed bytes read per layer, size of the file taken out. */
    public record Limits(long layerBytes, long fileBytes) {
        public static final Limits DEFAULT = new Limits(64L << 30, 4L << 30);
    }

    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT = ".wh.";

    private LayerFiles() {}

    /**
     * The content of {@code absolutePath} in the image made of {@code layers} (lowest first), copied
     * to a new file in {@code tmpDir}; empty when the path is absent, removed, or not a regular file.
     */
    public static Optional<Path> extract(List<Layer> layers, String absolutePath, Path tmpDir, Limits limits)
            throws IOException {
        String want = ImagePaths.relative(absolutePath);
        if (want.isEmpty()) {
            return Optional.empty();
        }
        Path found = null;
        for (Layer layer : layers) {
            Path mine = null;
            String hardLinkTo = null;
            boolean hidden = false;
            try (TarArchiveInputStream tar = open(layer, limits)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name = ImagePaths.relative(e.getName());
                    if (name.isEmpty()) {
                        continue;
                    }
                    String dir = parentOf(name);
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    if (base.equals(OPAQUE)) {
                        hidden |= dir.isEmpty() || want.startsWith(dir + "/");
                    } else if (base.startsWith(WHITEOUT)) {
                        String removed = join(dir, base.substring(WHITEOUT.length()));
                        hidden |= want.equals(removed) || want.startsWith(removed + "/");
                    } else if (name.equals(want)) {
                        deleteQuietly(mine);
                        mine = null;
                        hardLinkTo = null;
                        hidden = true; // whatever this layer has at the path replaces the layers below
                        if (e.isLink()) {
                            hardLinkTo = ImagePaths.relative(e.getLinkName());
                        } else if (e.isFile()) {
                            mine = copy(tar, e, tmpDir, limits);
                        }
                    } else if (want.startsWith(name + "/") && !e.isDirectory()) {
                        hidden = true; // a file or link replaces a parent directory
                        deleteQuietly(mine);
                        mine = null;
                        hardLinkTo = null;
                    }
                }
            }
            if (hardLinkTo != null) {
                mine = copyNamed(layer, hardLinkTo, tmpDir, limits);
            }
            if (hidden) {
                deleteQuietly(found);
                found = mine;
            }
        }
        return Optional.ofNullable(found);
    }

    /** A hard link's target is an earlier regular file of the same layer. */
    private static Path copyNamed(Layer layer, String name, Path tmpDir, Limits limits) throws IOException {
        try (TarArchiveInputStream tar = open(layer, limits)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (ImagePaths.relative(e.getName()).equals(name) && e.isFile()) {
                    return copy(tar, e, tmpDir, limits);
                }
            }
        }
        return null;
    }

    private static Path copy(InputStream tar, TarArchiveEntry e, Path tmpDir, Limits limits) throws IOException {
        if (e.getSize() > limits.fileBytes()) {
            throw new RegistryException(
                    "base image file /" + ImagePaths.relative(e.getName()) + " is " + e.getSize()
                            + " bytes, more than the limit of " + limits.fileBytes(),
                    "use a smaller file or another base image");
        }
        Path tmp = Files.createTempFile(tmpDir, "base-file-", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
            tar.transferTo(out);
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        return tmp;
    }

    private static TarArchiveInputStream open(Layer layer, Limits limits) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(layer.blob()));
        try {
            InputStream in = layer.gzip() ? new GZIPInputStream(raw, 64 * 1024) : raw;
            return new TarArchiveInputStream(new Capped(in, limits.layerBytes()));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static void deleteQuietly(Path p) throws IOException {
        if (p != null) {
            Files.deleteIfExists(p);
        }
    }

    /** Fails once more than {@code limit} bytes have been read (a decompression bomb stops here). */
    private static final class Capped extends FilterInputStream {
        private final long limit;
        private long read;

        Capped(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw new RegistryException(
                        "a base image layer unpacks to more than " + limit + " bytes", "use another base image");
            }
        }
    }
}
