package io.jurunc.builder.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A reproducible tar writer for archive outputs: fixed mtime, root owner, 0644/0755. */
final class TarFiles implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final FileTime mtime;

    TarFiles(OutputStream out, Instant mtime) {
        this.tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.mtime = FileTime.from(mtime);
    }

    void directory(String name) throws IOException {
        TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    void bytes(String name, byte[] data) throws IOException {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0100644);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    void file(String name, Path source) throws IOException {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0100644);
        e.setSize(Files.size(source));
        tar.putArchiveEntry(e);
        Files.copy(source, tar);
        tar.closeArchiveEntry();
    }

    private TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("");
        e.setGroupName("");
        e.setModTime(mtime);
        return e;
    }

    @Override
    public void close() throws IOException {
        tar.finish();
        tar.flush();
    }
}
