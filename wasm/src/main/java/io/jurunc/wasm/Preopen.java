package io.jurunc.wasm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host directory the module sees as a WASI preopened directory.
 *
 * @param guestPath where the guest sees it ({@code /} for the rootfs, a mount's destination for a bind mount)
 */
public record Preopen(String guestPath, Path hostPath, boolean readOnly) {
    public Preopen {
        Objects.requireNonNull(guestPath, "guestPath");
        Objects.requireNonNull(hostPath, "hostPath");
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("preopen " + guestPath + " is not absolute");
        }
    }
}
