package io.jurunc.build.layer;

import io.jurunc.build.image.BlobStore;
import io.jurunc.build.image.Descriptor;
import io.jurunc.build.image.Digest;
import io.jurunc.build.image.MediaTypes;
import io.jurunc.build.plan.FileEntry;
import io.jurunc.build.plan.LayerSpec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer as a reproducible gzipped tar into a blob store, in one pass: entries sorted with
 * explicit parents, a fixed mtime, uid/gid from the entry (0 by default) and empty owner names.
 * The uncompressed sha256 (diff_id) and the blob digest are computed while writing; gzip runs in
 * parallel blocks ({@link ParallelGzipOutputStream}) with output independent of the thread count.
 */
public final class TarLayerWriter {
    private final BlobStore store;
    private final Instant mtime;
    private final int level;
    private final int threads;

    public TarLayerWriter(BlobStore store, Instant mtime, int compressionLevel) {
        this.store = store;
        this.mtime = mtime;
        this.level = compressionLevel;
        this.threads = ParallelGzipOutputStream.defaultThreads();
    }

    public record Layer(Descriptor blob, Digest diffId, String createdBy) { }

    public Layer write(LayerSpec spec) {
        try (BlobStore.Writer w = store.newWriter()) {
            HashingOutputStream diff;
            try (OutputStream fileOut = new BufferedOutputStream(w.stream(), 256 * 1024);
                 ParallelGzipOutputStream gz = new ParallelGzipOutputStream(fileOut, level, threads)) {
                diff = new HashingOutputStream(gz);
                writeTar(spec, new BufferedOutputStream(diff, 256 * 1024));
                gz.finish();
            }
            Descriptor d = w.commit(MediaTypes.OCI_LAYER_GZIP);
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
        for (FileEntry e : EntryTree.normalise(spec.entries())) {
            TarArchiveEntry t = switch (e.kind()) {
                case DIRECTORY -> new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR, true);
                case SYMLINK -> {
                    TarArchiveEntry s = new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK, true);
                    s.setLinkName(e.linkTarget());
                    yield s;
                }
                case FILE -> new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL, true);
            };
            int typeBits = switch (e.kind()) {
                case DIRECTORY -> 040000;
                case SYMLINK -> 0120000;
                case FILE -> 0100000;
            };
            t.setMode(typeBits | e.mode());
            t.setUserId(e.uid());
            t.setGroupId(e.gid());
            t.setUserName("");
            t.setGroupName("");
            t.setModTime(time);
            if (e.kind() == FileEntry.Kind.FILE) {
                t.setSize(sizeOf(e.content()));
            }
            tar.putArchiveEntry(t);
            if (e.kind() == FileEntry.Kind.FILE) {
                copyContent(e.content(), tar);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        out.flush();
    }

    static long sizeOf(FileEntry.Content c) throws IOException {
        return switch (c) {
            case FileEntry.Content.OnDisk d -> Files.size(d.file());
            case FileEntry.Content.InMemory m -> m.bytes().length;
            case FileEntry.Content.Empty x -> 0;
        };
    }

    static void copyContent(FileEntry.Content c, OutputStream out) throws IOException {
        switch (c) {
            case FileEntry.Content.OnDisk d -> Files.copy(d.file(), out);
            case FileEntry.Content.InMemory m -> out.write(m.bytes());
            case FileEntry.Content.Empty x -> { }
        }
    }
}
