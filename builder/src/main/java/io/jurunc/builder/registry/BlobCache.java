package io.jurunc.builder.registry;

import io.jurunc.builder.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A content-addressed cache of pulled blobs ({@code <dir>/sha256/<hex>}), shared between builds.
 * Blobs are verified before they enter it and renamed into place, so it never holds a partial blob.
 */
public final class BlobCache {
    private final Path dir;

    public BlobCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $JURUNC_CACHE_DIR}, else {@code $XDG_CACHE_HOME/jurunc/blobs}, else {@code ~/.cache/jurunc/blobs}. */
    public static BlobCache defaultLocation() {
        String env = System.getenv("JURUNC_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return new BlobCache(Path.of(env));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new BlobCache(base.resolve("jurunc/blobs"));
    }

    public Path directory() {
        return dir;
    }

    public interface Fetcher {
        void fetch(Path target);
    }

    /** Returns the cached blob, fetching it first if absent. The fetcher must verify the digest. */
    public Path get(Digest digest, Fetcher fetcher) {
        Path target = dir.resolve("sha256").resolve(digest.hex());
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".", ".part");
            try {
                fetcher.fetch(tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
