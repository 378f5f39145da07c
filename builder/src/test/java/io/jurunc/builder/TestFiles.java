package io.jurunc.builder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small build contexts for tests, with explicit modes so results do not depend on umask. */
public final class TestFiles {
    private TestFiles() {}

    public static Path write(Path dir, String rel, String content, String perms) {
        return write(dir, rel, content.getBytes(StandardCharsets.UTF_8), perms);
    }

    public static Path write(Path dir, String rel, byte[] content, String perms) {
        try {
            Path p = dir.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake x86-64 ELF kernel header followed by some padding. */
    public static byte[] elf(int machine) {
        byte[] b = new byte[256];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 2;
        b[5] = 1;
        b[18] = (byte) machine;
        b[19] = (byte) (machine >> 8);
        return b;
    }
}
