package io.jurunc.build.layer;

import io.jurunc.build.Timings;
import io.jurunc.build.image.BlobStore;
import io.jurunc.build.image.Descriptor;
import io.jurunc.build.image.Digest;
import io.jurunc.build.image.MediaTypes;
import io.jurunc.build.plan.FileEntry;
import io.jurunc.build.plan.LayerSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer as a reproducible tar into a blob store, in one pass over each file: entries sorted
 * with explicit parents, a fixed mtime, uid/gid from the entry (0 by default) and empty owner names.
 * At level 0 the layer is a plain tar ({@code ...layer.v1.tar}) whose single sha256 is both the
 * diff_id and the blob digest; otherwise it is gzipped in parallel blocks
 * ({@link ParallelGzipOutputStream}, output independent of the thread count) and the uncompressed
 * sha256 (diff_id) and the blob digest are computed while writing.
 */
public final class TarLayerWriter {
    /** Read size for file contents: large enough that the per-call overhead of the tar and hash layers vanishes. */
    static final int CHUNK = 256 * 1024;
    private final BlobStore store;
    private final Instant mtime;
    private final int level;
    private final int threads;
    private final Timings timings;

    public TarLayerWriter(BlobStore store, Instant mtime, int compressionLevel) {
        this(store, mtime, compressionLevel, new Timings());
    }

    public TarLayerWriter(BlobStore store, Instant mtime, int compressionLevel, Timings timings) {
        this.store = store;
        this.mtime = mtime;
        this.level = compressionLevel;
        this.threads = ParallelGzipOutputStream.defaultThreads();
        this.timings = timings;
    }

    public record Layer(Descriptor blob, Digest diffId, String createdBy) { }

    public Layer write(LayerSpec spec) {
        long t0 = System.nanoTime();
        try (BlobStore.Writer w = store.newWriter()) {
            if (level == 0) {
                try (OutputStream fileOut = new BufferedOutputStream(w.stream(), CHUNK)) {
                    writeTar(spec, fileOut);
                }
                Descriptor d = w.commit(MediaTypes.OCI_LAYER_TAR);
                timings.add("layers: read, tar, sha256, write", System.nanoTime() - t0);
                return new Layer(d, d.digest(), spec.createdBy());
            }
            HashingOutputStream diff;
            long waited;
            try (OutputStream fileOut = new BufferedOutputStream(w.stream(), CHUNK);
                 ParallelGzipOutputStream gz = new ParallelGzipOutputStream(fileOut, level, threads)) {
                diff = new HashingOutputStream(gz);
                writeTar(spec, new BufferedOutputStream(diff, CHUNK));
                gz.finish();
                waited = gz.waitedNanos();
            }
            Descriptor d = w.commit(MediaTypes.OCI_LAYER_GZIP);
            long total = System.nanoTime() - t0;
            timings.add("layers: read, tar, sha256, crc, write (main thread)", total - waited);
            timings.add("layers: waiting for gzip workers (" + threads + " threads)", waited);
            return new Layer(d, diff.digest(), spec.createdBy());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the plain tar of a layer; the stream is flushed, not closed. */
    public void writeTar(LayerSpec spec, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        FileTime time = FileTime.from(mtime);
        java.util.Set<String> writtenFiles = new java.util.HashSet<>();
        for (FileEntry entry : EntryTree.normalise(spec.entries())) {
            // a hard link must follow its target in the archive; one that sorts first is written as a copy
            FileEntry e = entry.kind() == FileEntry.Kind.HARDLINK && !writtenFiles.contains(entry.linkTarget()) ? entry.asFile() : entry;
            TarArchiveEntry t = switch (e.kind()) {
                case DIRECTORY -> new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR, true);
                case SYMLINK -> {
                    TarArchiveEntry s = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK, true);
                    s.setLinkName(e.linkTarget());
                    yield s;
                }
                case HARDLINK -> {
                    TarArchiveEntry h = new TarArchiveEntry(e.path(), TarConstants.LF_LINK, true);
                    h.setLinkName(e.linkTarget());
                    yield h;
                }
                case FILE -> new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL, true);
            };
            int typeBits = switch (e.kind()) {
                case DIRECTORY -> 040000;
                case SYMLINK -> 0120000;
                case FILE, HARDLINK -> 0100000;
            };
            t.setMode(typeBits | e.mode());
            t.setUserId(e.uid());
            t.setGroupId(e.gid());
            t.setUserName("");
            t.setGroupName("");
            t.setModTime(time);
            if (e.kind() == FileEntry.Kind.FILE) {
                t.setSize(sizeOf(e.content()));
                writtenFiles.add(e.path());
            }
            tar.putArchiveEntry(t);
            if (e.kind() == FileEntry.Kind.FILE) {
                if (e.content() instanceof FileEntry.Content.OnDisk d) {
                    copyFile(d.file(), t.getSize(), tar);
                } else {
                    copyContent(e.content(), tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        out.flush();
    }

    static long sizeOf(FileEntry.Content c) throws IOException {
        return switch (c) {
            case FileEntry.Content.OnDisk d -> Files.readAttributes(d.file(), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).size();
            case FileEntry.Content.InMemory m -> m.bytes().length;
            case FileEntry.Content.Empty x -> 0;
        };
    }

    static void copyContent(FileEntry.Content c, OutputStream out) throws IOException {
        switch (c) {
            case FileEntry.Content.OnDisk d -> copyFile(d.file(), sizeOf(c), out);
            case FileEntry.Content.InMemory m -> out.write(m.bytes());
            case FileEntry.Content.Empty x -> { }
        }
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /**
     * Copies exactly {@code size} bytes of a file (the size announced in the entry header), with one
     * reused buffer; a file that shrinks or grows meanwhile is an error, not a corrupt archive.
     */
    static void copyFile(Path file, long size, OutputStream out) throws IOException {
        byte[] buf = BUFFER.get();
        long left = size;
        try (InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + " shrank while it was being read (expected " + size + " bytes)");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            if (in.read() >= 0) {
                throw new IOException(file + " grew while it was being read (expected " + size + " bytes)");
            }
        }
    }
}
