package io.jurunc.runtime.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A path inside the container rootfs named by an annotation (binary, initrd, block). Validated as
 * urunc does: a clean path of safe characters that, once symlinks are resolved, stays inside the
 * rootfs.
 */
public record GuestPath(String key, String value) {
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._/-]+$");
    private static final int MAX = 4096;

    /** Syntax check only. */
    public static GuestPath parse(String key, String value) throws MetadataException {
        String fix = "use a clean absolute path inside the image, such as /boot/kernel";
        if (value == null || value.isEmpty()) {
            throw new MetadataException(key, "is empty", fix);
        }
        if (value.length() > MAX) {
            throw new MetadataException(key, "is longer than " + MAX + " characters", fix);
        }
        if (!SAFE.matcher(value).matches()) {
            throw new MetadataException(key, "'" + value + "' has characters outside [A-Za-z0-9._/-]", fix);
        }
        if (value.startsWith("-") || value.equals(".") || value.equals("/")) {
            throw new MetadataException(key, "'" + value + "' is not a file path", fix);
        }
        String trimmed = value.startsWith("/") ? value.substring(1) : value;
        for (String seg : trimmed.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new MetadataException(
                        key, "'" + value + "' is not a clean path (empty, '.' or '..' segment)", fix);
            }
        }
        return new GuestPath(key, value);
    }

    /** Resolves inside the rootfs and checks that the file exists and does not escape it. */
    public Path resolveIn(Path rootfs) throws MetadataException {
        String rel = value.startsWith("/") ? value.substring(1) : value;
        Path candidate = rootfs.resolve(rel);
        try {
            Path realRoot = rootfs.toRealPath();
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new MetadataException(
                        key,
                        "'" + value + "' resolves outside the rootfs (" + real + ")",
                        "point it at a file inside the image");
            }
            if (!Files.isRegularFile(real)) {
                throw new MetadataException(
                        key,
                        "'" + value + "' is not a regular file in the rootfs",
                        "point it at the kernel/initrd/block file itself");
            }
            return real;
        } catch (IOException e) {
            throw new MetadataException(
                    key,
                    "'" + value + "' not found in the image's rootfs (" + rootfs + ")",
                    "add the file to the image or fix the path");
        }
    }
}
