package io.jurunc.runtime.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Host-wide unique numbers (monitor uids, vsock CIDs), one per container: {@code <dir>/<kind>/<n>}
 * created with O_EXCL holds the owning container's id. Unlike a hash of the id, two containers
 * never get the same number, and a full range is an error instead of a silent collision.
 */
public final class IdAllocator {
    private final Path dir;

    public IdAllocator(Path dir) {
        this.dir = dir;
    }

    /** The lowest free number in [base, base + count), recorded as {@code owner}'s. */
    public long allocate(String kind, long base, long count, String owner) throws SandboxSetupException {
        Path kindDir = kindDir(kind);
        for (long n = base; n < base + count; n++) {
            Path f = kindDir.resolve(Long.toString(n));
            try {
                Files.writeString(
                        f,
                        owner,
                        StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                return n;
            } catch (FileAlreadyExistsException e) {
                if (owner.equals(read(f))) return n; // a retry of the same container
            } catch (IOException e) {
                throw new SandboxSetupException(
                        "cannot record " + kind + " " + n + " in " + kindDir + ": " + e.getMessage(), e);
            }
        }
        throw new SandboxSetupException("no free " + kind + " in [" + base + ", " + (base + count) + "): " + count
                + " containers hold one (see " + kindDir + ")");
    }

    /** Frees {@code n} if {@code owner} holds it; anything else is left alone. */
    public void release(String kind, long n, String owner) throws SandboxSetupException {
        Path f = kindDir(kind).resolve(Long.toString(n));
        if (!owner.equals(read(f))) return;
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new SandboxSetupException("cannot free " + kind + " " + n + ": " + e.getMessage(), e);
        }
    }

    private Path kindDir(String kind) throws SandboxSetupException {
        Path d = dir.resolve(kind);
        try {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.createDirectories(
                        d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return d;
        } catch (IOException e) {
            throw new SandboxSetupException("cannot create " + d + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
