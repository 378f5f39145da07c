package io.jurunc.guest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the guest's root comes from and what the init mounts into it.
 *
 * @param root empty: the initramfs is the root (the packed rootfs); else a {@link GuestMount.Type#NINEP}
 *     share or a {@link GuestMount.Type#BLOCK} device that the init mounts and switches to (the
 *     initramfs then only carries the init and its files)
 * @param mounts in order, after the root, {@code /proc}, {@code /sys} and {@code /dev}
 */
public record GuestLayout(Optional<GuestMount> root, List<GuestMount> mounts) {
    /** The packed initramfs as root, no mounts. */
    public static final GuestLayout NONE = new GuestLayout(Optional.empty(), List.of());

    public GuestLayout {
        Objects.requireNonNull(root, "root");
        mounts = List.copyOf(Objects.requireNonNull(mounts, "mounts"));
        root.ifPresent(r -> {
            if (r.type() != GuestMount.Type.NINEP && r.type() != GuestMount.Type.BLOCK) {
                throw new IllegalArgumentException("a guest root is a 9p share or a block device, not " + r.type());
            }
            if (!r.destination().equals("/")) {
                throw new IllegalArgumentException("a guest root's destination is /, got " + r.destination());
            }
        });
        for (GuestMount m : mounts) {
            if (m.type() == GuestMount.Type.BLOCK) {
                throw new IllegalArgumentException("block devices are mounted as a root only");
            }
        }
    }
}
