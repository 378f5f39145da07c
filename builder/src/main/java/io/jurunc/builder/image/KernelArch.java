package io.jurunc.builder.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Detects a kernel binary's architecture from its header: ELF {@code e_machine}, the PE/COFF
 * {@code Machine} of an EFI-stub kernel, the arm64 {@code Image} magic, or the x86 boot-protocol
 * {@code HdrS} signature of a bzImage.
 */
public final class KernelArch {
    /** The multiboot specification puts its header in the first 8 KiB, 4-byte aligned. */
    static final int HEAD = 8192;

    private static final int MULTIBOOT_MAGIC = 0x1BADB002;

    private KernelArch() {}

    public static Optional<String> detect(InputStream in) throws IOException {
        return detect(in.readNBytes(HEAD));
    }

    public static Optional<String> detect(byte[] h) {
        if (h.length >= 20 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F') {
            ByteOrder order = h[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int machine = ByteBuffer.wrap(h, 18, 2).order(order).getShort() & 0xffff;
            return switch (machine) {
                case 62 -> Optional.of("amd64");
                // A 32-bit x86 ELF with a multiboot header is how x86_64 unikernels (Unikraft's KVM
                // platform) ship: QEMU's -kernel multiboot loader boots it on the amd64 machine.
                case 3 -> Optional.of(multiboot(h) ? "amd64" : "386");
                case 183 -> Optional.of("arm64");
                case 40 -> Optional.of("arm");
                case 243 -> Optional.of("riscv64");
                case 21 -> Optional.of("ppc64le");
                case 22 -> Optional.of("s390x");
                default -> Optional.empty();
            };
        }
        if (h.length >= 64 && h[0] == 'M' && h[1] == 'Z') {
            if (h[56] == 'A' && h[57] == 'R' && h[58] == 'M' && h[59] == 'd') {
                return Optional.of("arm64");
            }
            int pe = ByteBuffer.wrap(h, 0x3c, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (pe > 0 && pe + 6 <= h.length && h[pe] == 'P' && h[pe + 1] == 'E' && h[pe + 2] == 0 && h[pe + 3] == 0) {
                int machine = ByteBuffer.wrap(h, pe + 4, 2)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .getShort()
                        & 0xffff;
                switch (machine) {
                    case 0x8664 -> {
                        return Optional.of("amd64");
                    }
                    case 0xaa64 -> {
                        return Optional.of("arm64");
                    }
                    case 0x14c -> {
                        return Optional.of("386");
                    }
                    case 0x5064 -> {
                        return Optional.of("riscv64");
                    }
                    default -> {}
                }
            }
        }
        if (h.length >= 0x206 && h[0x202] == 'H' && h[0x203] == 'd' && h[0x204] == 'r' && h[0x205] == 'S') {
            return Optional.of("amd64");
        }
        return Optional.empty();
    }

    /** Whether {@code h} holds a valid multiboot (v1) header: magic, flags and a checksum summing to 0. */
    static boolean multiboot(byte[] h) {
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 12 <= Math.min(h.length, HEAD); off += 4) {
            if (b.getInt(off) == MULTIBOOT_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                return true;
            }
        }
        return false;
    }
}
