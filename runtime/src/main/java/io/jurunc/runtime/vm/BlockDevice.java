package io.jurunc.runtime.vm;

import java.nio.file.Path;
import java.util.Objects;

/** A block device handed to the guest: id (e.g. "rootfs"), host path, optional guest mount point. */
public record BlockDevice(String id, Path hostPath, String guestMountPoint, String fsType) {
    public BlockDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostPath, "hostPath");
    }
}
