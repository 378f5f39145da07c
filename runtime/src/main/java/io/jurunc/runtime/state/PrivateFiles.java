package io.jurunc.runtime.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only root may read: the state under {@code --root} holds the container's
 * environment. Files are written to a temp name created exclusively (O_CREAT|O_EXCL, which never
 * follows a link) with their final mode, then renamed over the target.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    public static FileAttribute<Set<PosixFilePermission>> dirMode() {
        return PosixFilePermissions.asFileAttribute(DIR);
    }

    /** Writes {@code content} to {@code target} atomically, with {@code mode}; a stale temp file is replaced. */
    public static void writeAtomically(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a leftover (or a planted link): deleting never follows it
        try (SeekableByteChannel ch = Files.newByteChannel(
                tmp,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(mode))) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
        }
        // the umask may have narrowed the mode at creation; never widened it
        Files.setPosixFilePermissions(tmp, mode);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
