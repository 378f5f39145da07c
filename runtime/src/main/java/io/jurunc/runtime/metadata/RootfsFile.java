package io.jurunc.runtime.metadata;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads a metadata file an image ships at the top of its rootfs (e.g. {@code /urunc.json}) as
 * hostile input: opened with O_NOFOLLOW (a symlink to a host file fails instead of being read) and
 * O_NONBLOCK (a FIFO cannot hang create), then checked through the open descriptor to be a regular
 * file, and read up to a size cap. Errors name the file and the problem, never its content.
 */
final class RootfsFile {
    /** urunc.json holds a handful of short annotations; anything this large is not one. */
    static final int MAX_BYTES = 64 * 1024;

    private RootfsFile() {}

    /** The file's bytes, or empty when it does not exist. */
    static Optional<byte[]> read(Syscalls sys, Path rootfs, String name, String key) throws MetadataException {
        Path file = rootfs.resolve(name);
        int fd;
        try {
            fd = sys.open(
                    file.toString(),
                    Syscalls.O_RDONLY | Syscalls.O_NOFOLLOW | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) return Optional.empty();
            if (e.errno() == Errno.ELOOP) {
                throw new MetadataException(key, "is a symbolic link", "ship it as a regular file in the image");
            }
            throw new MetadataException(key, "cannot be opened: " + Errno.describe(e.errno()), null);
        }
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
            if (a.isDirectory()) throw new MetadataException(key, "is a directory", "it must be a JSON object file");
            if (!a.isRegularFile()) {
                throw new MetadataException(
                        key,
                        "is not a regular file (a FIFO, socket or device)",
                        "ship it as a regular file in the image");
            }
            if (a.size() > MAX_BYTES) {
                throw new MetadataException(
                        key, "is " + a.size() + " bytes, more than the " + MAX_BYTES + " allowed", null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) a.size());
            byte[] buf = new byte[8192];
            int n;
            while ((n = sys.read(fd, buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw new MetadataException(
                            key, "grew past the " + MAX_BYTES + " bytes allowed while being read", null);
                }
            }
            return Optional.of(out.toByteArray());
        } catch (IOException e) {
            throw new MetadataException(
                    key, "cannot be inspected: " + e.getClass().getSimpleName(), null);
        } catch (ErrnoException e) {
            throw new MetadataException(key, "cannot be read: " + Errno.describe(e.errno()), null);
        } finally {
            try {
                sys.close(fd);
            } catch (ErrnoException ignored) {
                // read-only descriptor: nothing is lost
            }
        }
    }
}
