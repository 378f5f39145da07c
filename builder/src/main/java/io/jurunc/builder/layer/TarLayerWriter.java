package io.jurunc.builder.layer;

import io.jurunc.builder.Timings;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.Digest;
import io.jurunc.builder.image.HashingOutputStream;
import io.jurunc.builder.image.MediaTypes;
import io.jurunc.builder.plan.FileEntry;
import io.jurunc.builder.plan.LayerSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
    /**
     * Buffer of the streams between the tar writer, the hashes, the gzip blocks and the file: it
     * gathers tar headers and small files; content chunks ({@link #CHUNK}) and gzip blocks pass by it
     * (a write at least as long as the buffer goes straight through), so a larger one only costs heap.
     */
    static final int GATHER = 64 * 1024;

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

    public record Layer(Descriptor blob, Digest diffId, String createdBy) {}

    public Layer write(LayerSpec spec) {
        long t0 = System.nanoTime();
        try (BlobStore.Writer w = store.newWriter()) {
            if (level == 0) {
                try (OutputStream fileOut = new BufferedOutputStream(w.stream(), GATHER)) {
                    writeTar(spec, fileOut);
                }
                Descriptor d = w.commit(MediaTypes.OCI_LAYER_TAR);
                timings.add("layers: read, tar, sha256, write", System.nanoTime() - t0);
                return new Layer(d, d.digest(), spec.createdBy());
            }
            HashingOutputStream diff;
            long waited;
            try (OutputStream fileOut = new BufferedOutputStream(w.stream(), GATHER);
                    ParallelGzipOutputStream gz = new ParallelGzipOutputStream(fileOut, level, threads)) {
                diff = new HashingOutputStream(gz);
                writeTar(spec, new BufferedOutputStream(diff, GATHER));
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
            FileEntry e = entry.kind() == FileEntry.Kind.HARDLINK && !writtenFiles.contains(entry.linkTarget())
                    ? entry.asFile()
                    : entry;
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
                try (Opened content = Opened.of(e.content())) {
                    t.setSize(content.size());
                    writtenFiles.add(e.path());
                    tar.putArchiveEntry(t);
                    content.copyTo(tar);
                }
            } else {
                tar.putArchiveEntry(t);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        out.flush();
    }

    /** Copies an entry's bytes (a file is opened as {@link Opened#of} does). */
    static void copyContent(FileEntry.Content c, OutputStream out) throws IOException {
        try (Opened o = Opened.of(c)) {
            o.copyTo(out);
        }
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    /**
     * An entry's bytes, opened once: a file through {@link FileEntry.Content.OnDisk#open} (no link
     * followed below its root), so the size a header announces is the size of the file that is read.
     */
    static final class Opened implements java.io.Closeable {
        private final FileChannel channel;
        private final Object file;
        private final byte[] bytes;
        private final long size;

        private Opened(FileChannel channel, Object file, byte[] bytes, long size) {
            this.channel = channel;
            this.file = file;
            this.bytes = bytes;
            this.size = size;
        }

        static Opened of(FileEntry.Content c) throws IOException {
            return switch (c) {
                case FileEntry.Content.OnDisk d -> {
                    FileChannel ch = d.open();
                    try {
                        yield new Opened(ch, d.file(), null, ch.size());
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        throw e;
                    }
                }
                case FileEntry.Content.InMemory m -> new Opened(null, null, m.bytes(), m.bytes().length);
                case FileEntry.Content.Empty x -> new Opened(null, null, new byte[0], 0);
            };
        }

        long size() {
            return size;
        }

        /**
         * Copies exactly {@link #size} bytes with one reused buffer; a file that shrinks or grows
         * meanwhile is an error, not a corrupt archive.
         */
        void copyTo(OutputStream out) throws IOException {
            if (channel == null) {
                out.write(bytes);
                return;
            }
            byte[] buf = BUFFER.get();
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long left = size;
            while (left > 0) {
                bb.clear().limit((int) Math.min(buf.length, left));
                int n = channel.read(bb);
                if (n < 0) {
                    throw new IOException(file + " shrank while it was being read (expected " + size + " bytes)");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            bb.clear().limit(1);
            if (channel.read(bb) > 0) {
                throw new IOException(file + " grew while it was being read (expected " + size + " bytes)");
            }
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
