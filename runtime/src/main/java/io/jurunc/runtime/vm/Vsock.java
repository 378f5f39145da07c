package io.jurunc.runtime.vm;

import java.nio.file.Path;

/** A vsock device for the guest (used by vAccel); udsPath is for monitors that proxy over a unix socket. */
public record Vsock(long guestCid, Path udsPath) {
    public Vsock {
        if (guestCid < 3) {
            throw new IllegalArgumentException("guest CID must be >= 3, got " + guestCid);
        }
    }
}
