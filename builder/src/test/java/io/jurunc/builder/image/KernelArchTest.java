package io.jurunc.builder.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.builder.TestFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelArchTest {
    @Test
    void elfMachines() {
        assertThat(KernelArch.detect(TestFiles.elf(62))).contains("amd64");
        assertThat(KernelArch.detect(TestFiles.elf(183))).contains("arm64");
        assertThat(KernelArch.detect(TestFiles.elf(243))).contains("riscv64");
        assertThat(KernelArch.detect(TestFiles.elf(3))).contains("386");
        assertThat(KernelArch.detect(TestFiles.elf(9999))).isEmpty();
    }

    @Test
    void a32BitX86ElfWithAMultibootHeaderIsAnAmd64Unikernel() {
        byte[] elf = java.util.Arrays.copyOf(TestFiles.elf(3), 8192);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(4096, 0x1BADB002).putInt(4100, 0x00010003).putInt(4104, -(0x1BADB002 + 0x00010003));
        assertThat(KernelArch.detect(elf)).contains("amd64");
        b.putInt(4104, 0); // a bad checksum is no multiboot header
        assertThat(KernelArch.detect(elf)).contains("386");
    }

    @Test
    void theSharedUnikraftBinaryIsAmd64() throws Exception {
        Path uk = Path.of(System.getProperty("user.dir"))
                .getParent()
                .getParent()
                .resolve("shared/unikernels/bin/helloworld_qemu-x86_64.uk0.16.0");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isRegularFile(uk), "no shared unikernels beside the checkout");
        try (InputStream in = Files.newInputStream(uk)) {
            assertThat(KernelArch.detect(in)).contains("amd64");
        }
    }

    @Test
    void peMachinesAndArm64ImageMagic() {
        byte[] pe = new byte[512];
        pe[0] = 'M';
        pe[1] = 'Z';
        pe[0x3c] = (byte) 0x80;
        pe[0x80] = 'P';
        pe[0x81] = 'E';
        pe[0x84] = 0x64;
        pe[0x85] = (byte) 0x86;
        assertThat(KernelArch.detect(pe)).contains("amd64"); // bima reported arm64 here
        pe[0x84] = 0x64;
        pe[0x85] = (byte) 0xaa;
        assertThat(KernelArch.detect(pe)).contains("arm64");
        byte[] image = new byte[128];
        image[0] = 'M';
        image[1] = 'Z';
        image[56] = 'A';
        image[57] = 'R';
        image[58] = 'M';
        image[59] = 'd';
        assertThat(KernelArch.detect(image)).contains("arm64");
        assertThat(KernelArch.detect("#!/bin/sh\n".getBytes())).isEqualTo(Optional.empty());
    }

    @Test
    void realHostBinaries() throws Exception {
        for (String f : new String[] {"/bin/busybox", "/boot/vmlinuz-6.1.0-56-cloud-amd64"}) {
            Path p = Path.of(f);
            if (Files.isReadable(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    assertThat(KernelArch.detect(in)).as(f).contains("amd64");
                }
            }
        }
    }

    @Test
    void platformParsing() {
        assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platform.parse("x86_64")).isEqualTo(Platform.linux("amd64"));
        assertThat(Platform.parse("linux/aarch64").architecture()).isEqualTo("arm64");
    }
}
