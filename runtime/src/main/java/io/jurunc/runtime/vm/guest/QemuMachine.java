package io.jurunc.runtime.vm.guest;

import java.util.Objects;

/**
 * The QEMU machine a guest asks for: the {@code -M} value (null: QEMU's default PC machine, as
 * urunc uses for unikernels) and whether its devices are virtio-mmio ({@code virtio-*-device}) or
 * virtio-pci ({@code virtio-*-pci}).
 */
public record QemuMachine(String machine, boolean mmio) {
  /** QEMU's default x86 machine, no {@code -M}; virtio-pci devices. */
  public static final QemuMachine DEFAULT = new QemuMachine(null, false);

  public QemuMachine {
    if (mmio) {
      Objects.requireNonNull(machine, "an mmio machine must be named");
    }
  }

  /** The device name for a virtio device kind such as "net", "blk" or "vsock" (vhost-vsock). */
  public String virtio(String kind) {
    return (kind.equals("vsock") ? "vhost-vsock" : "virtio-" + kind) + (mmio ? "-device" : "-pci");
  }
}
