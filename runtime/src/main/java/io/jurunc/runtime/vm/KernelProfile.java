package io.jurunc.runtime.vm;

/**
 * What the guest kernel can boot on. MICROVM: a PVH kernel with virtio-mmio/pci built in (the
 * project kernel); QEMU may use {@code -M microvm}. STANDARD: a distribution kernel (Debian cloud)
 * or an image's own kernel, booted on a PC machine with virtio-pci.
 */
public enum KernelProfile {
    MICROVM,
    STANDARD
}
