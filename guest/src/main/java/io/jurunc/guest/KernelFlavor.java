package io.jurunc.guest;

/** What a kit's kernel needs from the monitor and the initramfs. */
public enum KernelFlavor {
    /**
     * The project kernel (scripts/build-kernel.sh): an uncompressed ELF vmlinux with a PVH note and
     * virtio-mmio/pci, net, blk, console, rng and vsock built in. Boots on QEMU {@code -M microvm};
     * needs no modules.
     */
    MICROVM("microvm"),
    /**
     * Debian's cloud kernel: a bzImage for PC machines (q35/pc) whose virtio drivers are modules that
     * the init loads from the initramfs.
     */
    STANDARD("standard");

    private final String kitName;

    KernelFlavor(String kitName) {
        this.kitName = kitName;
    }

    /** The name used in kit.json. */
    public String kitName() {
        return kitName;
    }

    /** Parses the kit.json name; null when unknown. */
    static KernelFlavor fromKitName(String name) {
        for (KernelFlavor f : values()) {
            if (f.kitName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
