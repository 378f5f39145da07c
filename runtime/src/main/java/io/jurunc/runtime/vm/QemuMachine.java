package io.jurunc.runtime.vm;

import java.util.Objects;

/**
 * The QEMU machine a guest asks for: the {@code -M} value (null: QEMU's default PC machine, as
 * urunc uses for unikernels), whether its devices are virtio-mmio ({@code virtio-*-device}) or
 * virtio-pci ({@code virtio-*-pci}), and whether PCI NICs go without their PXE option ROM ({@code
 * romfile=}: nothing to load from /usr/share/qemu, a faster boot).
 */
public record QemuMachine(String machine, boolean mmio, boolean noNicRom) {
    /** QEMU's default x86 machine, no {@code -M}; virtio-pci devices. */
    public static final QemuMachine DEFAULT = new QemuMachine(null, false, false);

    public QemuMachine(String machine, boolean mmio) {
        this(machine, mmio, false);
    }

    public QemuMachine {
        if (mmio) {
            Objects.requireNonNull(machine, "an mmio machine must be named");
        }
    }

    /** The NIC device with its transport, e.g. {@code virtio-net-pci,romfile=}. */
    public String nic() {
        return virtio("net") + (noNicRom && !mmio ? ",romfile=" : "");
    }

    /** The device name for a virtio device kind such as "net", "blk" or "vsock" (vhost-vsock). */
    public String virtio(String kind) {
        return (kind.equals("vsock") ? "vhost-vsock" : "virtio-" + kind) + (mmio ? "-device" : "-pci");
    }
}
