package io.jurunc.builder.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Content-addressed blobs of one build, in a private work directory. Blobs that already exist
 * elsewhere (the pull cache) are referenced, not copied.
 */
public final class BlobStore implements AutoCloseable {
    private final Path dir;
    private final Map<Digest, Path> blobs = new HashMap<>();

    public BlobStore(Path dir) {
        this.dir = dir;
    }

    public static BlobStore temporary() {
        return temporary(null);
    }

    /** A private directory under {@code parent}, or under java.io.tmpdir when it is null. */
    public static BlobStore temporary(Path parent) {
        try {
            return new BlobStore(
                    parent == null
                            ? Files.createTempDirectory("jurunc-build-")
                            : Files.createTempDirectory(parent, "jurunc-build-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path directory() {
        return dir;
    }

    public Descriptor put(byte[] bytes, String mediaType) {
        Digest d = Digest.of(bytes);
        Path p = dir.resolve(d.hex());
        try {
            if (!blobs.containsKey(d)) {
                Files.write(p, bytes);
                blobs.put(d, p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(mediaType, d, bytes.length);
    }

    /** Registers a blob that lives outside the store (already verified by the caller). */
    public void reference(Digest digest, Path file) {
        blobs.putIfAbsent(digest, file);
    }

    public Path path(Digest d) {
        Path p = blobs.get(d);
        if (p == null) {
            throw new IllegalStateException("blob not in store: " + d);
        }
        return p;
    }

    public byte[] read(Digest d) {
        try {
            return Files.readAllBytes(path(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InputStream open(Digest d) throws IOException {
        return Files.newInputStream(path(d));
    }

    public Writer newWriter() throws IOException {
        return new Writer(Files.createTempFile(dir, "blob-", ".tmp"));
    }

    /** Streams a new blob to a temp file; {@link #commit} names it by its digest. */
    public final class Writer implements AutoCloseable {
        private final Path tmp;
        private final OutputStream raw;
        private final HashingOutputStream hashed;
        private boolean committed;

        Writer(Path tmp) throws IOException {
            this.tmp = tmp;
            this.raw = Files.newOutputStream(tmp);
            this.hashed = new HashingOutputStream(raw);
        }

        public OutputStream stream() {
            return hashed;
        }

        public Descriptor commit(String mediaType) throws IOException {
            hashed.flush();
            raw.close();
            Digest d = hashed.digest();
            Path target = dir.resolve(d.hex());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            blobs.put(d, target);
            committed = true;
            return new Descriptor(mediaType, d, hashed.count());
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                hashed.abandon();
                raw.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    @Override
    public void close() {
        FileTrees.deleteQuietly(dir);
    }
}
