package io.jurunc.builder.layer;

import io.jurunc.builder.plan.FileEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes a newc ("070701") cpio archive, the format Linux and Unikraft read as an initramfs.
 * Parents come before children (as {@code find -depth | tac} gives), inode numbers are assigned
 * in order, and mtime and owner are fixed, so the archive is reproducible.
 */
public final class CpioNewcWriter {
    private final Instant mtime;

    public CpioNewcWriter(Instant mtime) {
        this.mtime = mtime;
    }

    public void write(List<FileEntry> entries, OutputStream out) throws IOException {
        long[] offset = {0};
        int ino = 1;
        for (FileEntry entry : EntryTree.normalise(entries)) {
            FileEntry e = entry.asFile(); // hard links become copies: newc would need shared inode numbers
            byte[] data = switch (e.kind()) {
                case SYMLINK -> e.linkTarget().getBytes(StandardCharsets.UTF_8);
                case DIRECTORY -> new byte[0];
                case FILE, HARDLINK -> null;
            };
            try (TarLayerWriter.Opened content = data != null ? null : TarLayerWriter.Opened.of(e.content())) {
                long size = data != null ? data.length : content.size();
                int type = switch (e.kind()) {
                    case DIRECTORY -> 040000;
                    case SYMLINK -> 0120000;
                    case FILE, HARDLINK -> 0100000;
                };
                header(
                        out,
                        offset,
                        ino++,
                        type | e.mode(),
                        e.uid(),
                        e.gid(),
                        e.kind() == FileEntry.Kind.DIRECTORY ? 2 : 1,
                        size,
                        e.path());
                if (data != null) {
                    out.write(data);
                } else {
                    content.copyTo(out);
                }
                offset[0] += size;
            }
            pad(out, offset);
        }
        header(out, offset, 0, 0, 0, 0, 1, 0, "TRAILER!!!");
        out.flush();
    }

    private void header(
            OutputStream out, long[] offset, int ino, int mode, int uid, int gid, int nlink, long size, String name)
            throws IOException {
        if (size > 0xffffffffL) {
            throw new IOException("file too large for a newc cpio (over 4 GiB): " + name);
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder(110).append("070701");
        long[] fields = {ino, mode, uid, gid, nlink, mtime.getEpochSecond(), size, 0, 0, 0, 0, nameBytes.length + 1, 0};
        for (long f : fields) {
            h.append(String.format("%08X", f));
        }
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        offset[0] += 110 + nameBytes.length + 1;
        pad(out, offset);
    }

    private static void pad(OutputStream out, long[] offset) throws IOException {
        while (offset[0] % 4 != 0) {
            out.write(0);
            offset[0]++;
        }
    }
}
