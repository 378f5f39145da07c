package io.jurunc.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format (magic 070701) that the Linux kernel unpacks as an
 * initramfs. Headers go through a small buffer; file contents are copied file-to-file by the
 * kernel ({@link FileChannel#transferFrom}), never held in memory. Every entry gets its own inode
 * number and nlink 1, so hard links become copies. Not thread-safe.
 */
final class NewcWriter implements AutoCloseable {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFIFO = 0010000;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 110;

    private final FileChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
    private long position;
    private int nextInode = 1;

    /** Writes at the channel's current position. */
    NewcWriter(FileChannel out) throws IOException {
        this.out = out;
        this.position = out.position();
    }

    /** Appends an entry header and the name; the caller then appends exactly {@code size} bytes. */
    private void header(String name, int mode, int uid, int gid, long mtime, long size, int rdevMajor, int rdevMinor)
            throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int need = HEADER + n.length + 1 + 3;
        if (buf.remaining() < need) {
            flush();
        }
        if (buf.remaining() < need) {
            throw new IOException("cpio entry name too long: " + name);
        }
        buf.put((byte) '0')
                .put((byte) '7')
                .put((byte) '0')
                .put((byte) '7')
                .put((byte) '0')
                .put((byte) '1');
        hex(nextInode++);
        hex(mode);
        hex(uid);
        hex(gid);
        hex(1); // nlink
        hex((int) Math.max(0, Math.min(mtime, 0xffffffffL)));
        hex((int) size);
        hex(0); // devmajor
        hex(0); // devminor
        hex(rdevMajor);
        hex(rdevMinor);
        hex(n.length + 1);
        hex(0); // check
        buf.put(n).put((byte) 0);
        position += HEADER + n.length + 1;
        pad();
    }

    private void hex(int v) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            buf.put(HEX[(v >>> shift) & 0xf]);
        }
    }

    private void pad() {
        while ((position & 3) != 0) {
            buf.put((byte) 0);
            position++;
        }
    }

    void directory(String name, int perm, int uid, int gid, long mtime) throws IOException {
        header(name, S_IFDIR | (perm & 07777), uid, gid, mtime, 0, 0, 0);
    }

    void symlink(String name, String target, int uid, int gid, long mtime) throws IOException {
        bytes(name, S_IFLNK | 0777, uid, gid, mtime, target.getBytes(StandardCharsets.UTF_8));
    }

    void node(String name, int mode, int uid, int gid, long mtime, int major, int minor) throws IOException {
        header(name, mode, uid, gid, mtime, 0, major, minor);
    }

    /** An entry whose data is given in memory (small files: process description, symlinks). */
    void bytes(String name, int mode, int uid, int gid, long mtime, byte[] data) throws IOException {
        header(name, mode, uid, gid, mtime, data.length, 0, 0);
        if (buf.remaining() < data.length + 3) {
            flush();
        }
        if (buf.remaining() < data.length + 3) {
            out.write(ByteBuffer.wrap(data));
        } else {
            buf.put(data);
        }
        position += data.length;
        pad();
    }

    /**
     * A regular file whose {@code size} bytes come from {@code src} (read from its start). Fails if
     * the file changed size while being copied.
     */
    void file(String name, int perm, int uid, int gid, long mtime, FileChannel src, long size) throws IOException {
        if (size > 0xffffffffL) {
            throw new IOException("file too large for a cpio archive (over 4 GiB): " + name);
        }
        header(name, S_IFREG | (perm & 07777), uid, gid, mtime, size, 0, 0);
        flush();
        long done = 0;
        while (done < size) {
            long n = out.transferFrom(src, position + done, size - done);
            if (n <= 0) {
                throw new IOException("file shrank while packing it: " + name);
            }
            done += n;
        }
        position += size;
        out.position(position);
        pad();
    }

    /** Writes the trailer entry and flushes; the archive is complete afterwards. */
    void finish() throws IOException {
        header("TRAILER!!!", 0, 0, 0, 0, 0, 0, 0);
        flush();
    }

    long position() {
        return position;
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
