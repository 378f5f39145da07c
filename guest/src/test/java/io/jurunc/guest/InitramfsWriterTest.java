package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsWriterTest {
    @TempDir
    Path tmp;

    record Entry(CpioArchiveEntry header, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Reads one archive with an independent reader (commons-compress), in order. */
    static Map<String, Entry> read(byte[] archive) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream in = new ByteArrayInputStream(archive);
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextEntry()) != null) {
                assertThat(e.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
                entries.put(e.getName(), new Entry(e, cpio.readAllBytes()));
            }
        }
        return entries;
    }

    private Path rootfs() throws Exception {
        Path root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Path sh = root.resolve("bin/busybox");
        Files.write(sh, new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.setAttribute(sh, "unix:mode", 04755);
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(root.resolve("etc/hostname"), "x\n");
        Files.createLink(root.resolve("etc/hostname.hard"), root.resolve("etc/hostname"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "do not pack");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("etc/abs"), Path.of("/etc/passwd"));
        Files.createDirectories(root.resolve("jurunc"));
        Files.writeString(root.resolve("jurunc/process"), "stale");
        return root;
    }

    private GuestKit kit(String json) throws Exception {
        return GuestKit.load(TestKits.write(tmp.resolve("kit"), json));
    }

    @Test
    void packsTheRootfsAndOurFiles() throws Exception {
        Path root = rootfs();
        Path out = tmp.resolve("initrd.cpio");
        GuestProcess p = new GuestProcess(
                List.of("/bin/sh", "-c", "echo 'hi there'"), List.of("PATH=/bin"), "/", 1000, 1000, List.of(), "vm");
        new InitramfsWriter().write(root, p, kit(TestKits.MICROVM), Optional.empty(), out);

        Map<String, Entry> e = read(Files.readAllBytes(out));
        assertThat(e.keySet()).containsSubsequence("bin", "bin/busybox");
        assertThat(e.keySet())
                .contains(
                        "bin/sh",
                        "etc/hostname",
                        "etc/hostname.hard",
                        "escape",
                        "etc/abs",
                        "dev",
                        "dev/console",
                        "jurunc",
                        "jurunc/init",
                        "jurunc/process")
                .doesNotContain("escape/secret", "jurunc/modules", "jurunc/ko");

        Entry busybox = e.get("bin/busybox");
        assertThat(busybox.header().getMode()).isEqualTo(0104755);
        assertThat(busybox.data()).containsExactly(0x7f, 'E', 'L', 'F', 1, 2, 3);
        assertThat(e.get("bin/sh").header().getMode() & 0170000).isEqualTo(0120000);
        assertThat(e.get("bin/sh").text()).isEqualTo("busybox");
        assertThat(e.get("escape").text()).isEqualTo(tmp.resolve("outside").toString());
        assertThat(e.get("etc/abs").text()).isEqualTo("/etc/passwd");
        assertThat(e.get("etc/hostname.hard").text()).isEqualTo("x\n");
        assertThat(e.get("etc/hostname.hard").header().getNumberOfLinks()).isEqualTo(1);
        assertThat(e.get("etc/hostname.hard").header().getInode())
                .isNotEqualTo(e.get("etc/hostname").header().getInode());

        CpioArchiveEntry console = e.get("dev/console").header();
        assertThat(console.getMode()).isEqualTo(0020600);
        assertThat(console.getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(console.getRemoteDeviceMin()).isEqualTo(1);
        assertThat(e.get("jurunc/init").text()).isEqualTo("#!init");
        assertThat(e.get("jurunc/init").header().getMode()).isEqualTo(0100755);
        assertThat(e.get("jurunc/process").data()).isEqualTo(ProcessFile.encode(p));
    }

    @Test
    void aBootOnlyInitramfsCarriesOurFilesAndTheLayoutButNoRootfs() throws Exception {
        Path out = tmp.resolve("boot.cpio");
        GuestProcess p = GuestProcess.of("/bin/true");
        GuestLayout layout = new GuestLayout(
                Optional.of(new GuestMount(GuestMount.Type.BLOCK, "/dev/vda", "/", List.of(), "")),
                List.of(new GuestMount(GuestMount.Type.NINEP, "m0", "/data", List.of("ro"), "")));
        new InitramfsWriter().writeBoot(p, layout, kit(TestKits.STANDARD), out);
        Map<String, Entry> e = read(Files.readAllBytes(out));
        assertThat(e.keySet())
                .containsExactly(
                        "dev",
                        "dev/console",
                        "jurunc",
                        "jurunc/init",
                        "jurunc/process",
                        "jurunc/ko",
                        "jurunc/ko/virtio.ko",
                        "jurunc/ko/virtio_net.ko",
                        "jurunc/modules");
        assertThat(e.get("jurunc/process").data()).isEqualTo(ProcessFile.encode(p, layout));
        assertThatThrownBy(() -> new InitramfsWriter().writeBoot(p, GuestLayout.NONE, kit(TestKits.STANDARD), out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePackedInitramfsCarriesTheMountsInItsProcessFile() throws Exception {
        Path out = tmp.resolve("initrd.cpio");
        GuestProcess p = GuestProcess.of("/bin/true");
        GuestLayout layout = new GuestLayout(
                Optional.empty(),
                List.of(new GuestMount(GuestMount.Type.TMPFS, "tmpfs", "/run", List.of("nosuid"), "size=1m")));
        new InitramfsWriter().write(rootfs(), p, layout, kit(TestKits.MICROVM), Optional.empty(), out);
        assertThat(read(Files.readAllBytes(out)).get("jurunc/process").data()).isEqualTo(ProcessFile.encode(p, layout));
    }

    @Test
    void standardFlavourCarriesModulesAndTheirOrder() throws Exception {
        Path out = tmp.resolve("initrd.cpio");
        new InitramfsWriter()
                .write(rootfs(), GuestProcess.of("/bin/sh"), kit(TestKits.STANDARD), Optional.empty(), out);
        Map<String, Entry> e = read(Files.readAllBytes(out));
        assertThat(e.get("jurunc/ko/virtio.ko").text()).isEqualTo("ko1");
        assertThat(e.get("jurunc/ko/virtio_net.ko").text()).isEqualTo("ko2");
        assertThat(e.get("jurunc/modules").text()).isEqualTo("/jurunc/ko/virtio.ko\n/jurunc/ko/virtio_net.ko\n");
    }

    @Test
    void preservesDeviceNodesAndFifos() throws Exception {
        Path root = rootfs();
        Files.createDirectories(root.resolve("dev"));
        int rc1 = new ProcessBuilder("mknod", root.resolve("dev/null").toString(), "c", "1", "3")
                .inheritIO()
                .start()
                .waitFor();
        int rc2 = new ProcessBuilder("mkfifo", root.resolve("fifo").toString())
                .inheritIO()
                .start()
                .waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(rc1 == 0 && rc2 == 0, "needs root for mknod");
        Path out = tmp.resolve("initrd.cpio");
        new InitramfsWriter().write(root, GuestProcess.of("/bin/sh"), kit(TestKits.MICROVM), Optional.empty(), out);
        Map<String, Entry> e = read(Files.readAllBytes(out));
        assertThat(e.get("dev/null").header().getMode() & 0170000).isEqualTo(0020000);
        assertThat(e.get("dev/null").header().getRemoteDeviceMaj()).isEqualTo(1);
        assertThat(e.get("dev/null").header().getRemoteDeviceMin()).isEqualTo(3);
        assertThat(e.get("fifo").header().getMode() & 0170000).isEqualTo(0010000);
        assertThat(e.keySet().stream().filter(n -> n.equals("dev")).count()).isEqualTo(1);
        assertThat(e).containsKey("dev/console");
    }

    @Test
    void aHugeSparseFileIsRefusedBeforeAnythingIsCopied() throws Exception {
        // before: a 2 GiB sparse file (a few KB on disk in the image) became 2 GiB in the state
        // directory (a tmpfs under /run: host RAM) and in guest RAM
        Path root = rootfs();
        try (java.io.RandomAccessFile f =
                new java.io.RandomAccessFile(root.resolve("holes").toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        Path out = tmp.resolve("initrd.cpio");
        assertThatThrownBy(() -> new InitramfsWriter()
                        .write(root, GuestProcess.of("/bin/sh"), kit(TestKits.MICROVM), Optional.empty(), out))
                .isInstanceOf(InitramfsException.class)
                .hasMessageContaining("more than 1024 MiB")
                .hasMessageContaining("holes");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> new InitramfsWriter(4).writeRootfs(root, tmp.resolve("a.cpio")))
                .isInstanceOf(InitramfsException.class);
    }

    @Test
    void theInitramfsIsRootOnlyAndALinkAtItsNameIsReplacedNotFollowed() throws Exception {
        // before: created 0644 (it holds the container's environment) through whatever was at its name
        Path victim = Files.writeString(tmp.resolve("victim"), "host file");
        Path out = tmp.resolve("initrd.cpio");
        Files.createSymbolicLink(out, victim);
        new InitramfsWriter().write(rootfs(), GuestProcess.of("/bin/sh"), kit(TestKits.MICROVM), Optional.empty(), out);
        assertThat(Files.readString(victim)).isEqualTo("host file");
        assertThat(Files.isSymbolicLink(out)).isFalse();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-------");
    }

    @Test
    void appendsToABaseInitrdOnA4ByteBoundary() throws Exception {
        Path base = tmp.resolve("base.img");
        Files.write(base, "abcde".getBytes(StandardCharsets.US_ASCII));
        Path out = tmp.resolve("initrd.cpio");
        new InitramfsWriter()
                .write(rootfs(), GuestProcess.of("/bin/sh"), kit(TestKits.MICROVM), Optional.of(base), out);
        byte[] all = Files.readAllBytes(out);
        assertThat(Arrays.copyOf(all, 8)).containsExactly('a', 'b', 'c', 'd', 'e', 0, 0, 0);
        assertThat(read(Arrays.copyOfRange(all, 8, all.length))).containsKey("jurunc/process");
    }

    @Test
    void appendsToABaseCpioArchive() throws Exception {
        Path base = tmp.resolve("base.cpio");
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(Files.newOutputStream(base))) {
            CpioArchiveEntry e = new CpioArchiveEntry("init", 2);
            e.setMode(0100755);
            cpio.putArchiveEntry(e);
            cpio.write(new byte[] {'o', 'k'});
            cpio.closeArchiveEntry();
        }
        long baseSize = Files.size(base);
        Path out = tmp.resolve("initrd.cpio");
        new InitramfsWriter()
                .write(rootfs(), GuestProcess.of("/bin/sh"), kit(TestKits.MICROVM), Optional.of(base), out);
        byte[] all = Files.readAllBytes(out);
        assertThat(read(all)).containsOnlyKeys("init");
        assertThat(read(Arrays.copyOfRange(all, (int) baseSize, all.length)))
                .containsKeys("bin/busybox", "jurunc/init");
    }

    @Test
    void badRootfsLeavesNothingBehind() throws Exception {
        Path out = tmp.resolve("initrd.cpio");
        GuestKit kit = kit(TestKits.MICROVM);
        assertThatThrownBy(() -> new InitramfsWriter()
                        .write(tmp.resolve("missing"), GuestProcess.of("/bin/sh"), kit, Optional.empty(), out))
                .isInstanceOf(InitramfsException.class)
                .hasMessageContaining("is not a directory");
        assertThat(out).doesNotExist();

        Path root = rootfs();
        Files.delete(kit.init());
        assertThatThrownBy(
                        () -> new InitramfsWriter().write(root, GuestProcess.of("/bin/sh"), kit, Optional.empty(), out))
                .isInstanceOf(InitramfsException.class)
                .hasMessageContaining("init");
        assertThat(out).doesNotExist();
    }
}
