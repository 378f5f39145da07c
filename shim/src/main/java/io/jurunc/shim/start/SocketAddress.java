package io.jurunc.shim.start;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The shim socket: {@code unix://<socketRoot>/<hex(sha256(<containerd address>/<namespace>/<group>))>}, the
 * same derivation containerd's shims use, so one group always maps to one daemon.
 */
public record SocketAddress(Path path) {
    /** containerd's default socket directory. */
    public static final Path DEFAULT_ROOT = Path.of("/run/containerd/s");
    /** sun_path is 108 bytes; containerd keeps 2 spare. */
    public static final int PATH_LIMIT = 106;

    public SocketAddress {
        Objects.requireNonNull(path, "path");
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > PATH_LIMIT) {
            throw new IllegalArgumentException("shim socket path " + path + " is longer than " + PATH_LIMIT
                    + " bytes; use a shorter socket directory");
        }
    }

    public static SocketAddress derive(Path socketRoot, String containerdAddress, String namespace, String group) {
        String key = containerdAddress + "/" + namespace + "/" + group;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return new SocketAddress(socketRoot.resolve(HexFormat.of().formatHex(digest)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The {@code unix://} form printed to containerd. */
    public String uri() {
        return "unix://" + path;
    }
}
