package io.jurunc.wasm;

import io.jurunc.wasm.fs.RootedPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A module's bytes and their sha256, read from the rootfs without following any link out of it.
 *
 * @param guestPath the entrypoint as the image names it
 */
public record ModuleBytes(String guestPath, byte[] bytes, String digest) {
    /** Larger modules are refused: a hostile image should not make the runtime read gigabytes. */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};

    public ModuleBytes {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public static ModuleBytes read(Path rootfs, String guestPath) throws WasmException {
        Path file;
        try {
            file = RootedPaths.resolve(RootedPaths.realRoot(rootfs), guestPath, true);
        } catch (IOException e) {
            throw new InvalidModuleException(
                    "the entrypoint " + guestPath + " cannot be resolved in the rootfs: " + e.getMessage(), e);
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new InvalidModuleException(
                    "the entrypoint " + guestPath + " does not exist in the image; "
                            + "a WASM image's ENTRYPOINT names its .wasm module (e.g. /app.wasm)",
                    e);
        }
        if (!a.isRegularFile()) {
            throw new InvalidModuleException("the entrypoint " + guestPath + " is not a regular file");
        }
        if (a.size() > MAX_BYTES) {
            throw new InvalidModuleException("the entrypoint " + guestPath + " is larger than " + MAX_BYTES + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidModuleException("cannot read the entrypoint " + guestPath + ": " + e.getMessage(), e);
        }
        return of(guestPath, bytes);
    }

    /** Checks the magic and version 1 (the binary format WASI preview 1 modules use). */
    public static ModuleBytes of(String guestPath, byte[] bytes) throws InvalidModuleException {
        if (bytes.length < 8
                || bytes[0] != MAGIC[0]
                || bytes[1] != MAGIC[1]
                || bytes[2] != MAGIC[2]
                || bytes[3] != MAGIC[3]) {
            throw new InvalidModuleException("the entrypoint " + guestPath + " is not a WebAssembly module (no \\0asm "
                    + "magic); images marked as WASM must name a .wasm module as their ENTRYPOINT");
        }
        if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
            throw new InvalidModuleException("the entrypoint " + guestPath + " is a WebAssembly binary of version "
                    + (bytes[4] & 0xff) + ", not 1 (components are not supported; build a core WASI preview 1 module)");
        }
        try {
            String digest = "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return new ModuleBytes(guestPath, bytes, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
