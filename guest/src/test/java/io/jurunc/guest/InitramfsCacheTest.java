package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsCacheTest {
    @TempDir
    Path tmp;

    private Path rootfs() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.writeString(root.resolve("busybox"), "elf");
        return root.getParent();
    }

    private static String mountinfo(Path mountPoint, String fstype, String superOptions) {
        return "22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n"
                + "812 29 0:84 / " + mountPoint.toString().replace(" ", "\\040") + " rw,relatime - " + fstype
                + " " + fstype + " " + superOptions + "\n";
    }

    @Test
    void anOverlayOfReadOnlyLayersWithAnEmptyUpperHasAContentKey() throws Exception {
        Path root = rootfs();
        Path l1 = Files.createDirectories(tmp.resolve("snapshots/1/fs"));
        Path l2 = Files.createDirectories(tmp.resolve("snapshots/2/fs"));
        Path upper = Files.createDirectories(tmp.resolve("snapshots/3/fs"));
        String opts = "rw,lowerdir=" + l2 + ":" + l1 + ",upperdir=" + upper + ",workdir=" + tmp;
        Optional<String> key = InitramfsCache.overlayKey(root, mountinfo(root, "overlay", opts));
        assertThat(key).isPresent();
        assertThat(key.get()).matches("[0-9a-f]{64}");
        assertThat(InitramfsCache.overlayKey(root, mountinfo(root, "overlay", opts)))
                .isEqualTo(key);
        String swapped = "rw,lowerdir=" + l1 + ":" + l2 + ",upperdir=" + upper + ",workdir=" + tmp;
        assertThat(InitramfsCache.overlayKey(root, mountinfo(root, "overlay", swapped)))
                .isPresent()
                .isNotEqualTo(key);

        Files.writeString(upper.resolve("written"), "by the container");
        assertThat(InitramfsCache.overlayKey(root, mountinfo(root, "overlay", opts)))
                .isEmpty();
        assertThat(InitramfsCache.overlayKey(root, mountinfo(root, "ext4", "rw")))
                .isEmpty();
        assertThat(InitramfsCache.overlayKey(root, mountinfo(tmp.resolve("elsewhere"), "overlay", opts)))
                .isEmpty();
        assertThat(InitramfsCache.overlayKey(root, "garbage\n\n - x")).isEmpty();
    }

    @Test
    void escapesInMountinfoAndOverlayOptionsAreDecoded() {
        assertThat(InitramfsCache.unescape("/a\\040b")).isEqualTo("/a b");
        assertThat(InitramfsCache.split("/a\\:b:/c", ':')).containsExactly("/a:b", "/c");
    }

    @Test
    void aCachedRootfsIsPackedOnceAndGivesTheSameInitramfs() throws Exception {
        Path root = rootfs();
        Path dir = tmp.resolve("cache");
        InitramfsCache cache = new InitramfsCache(dir, 1 << 20);
        String key = "a".repeat(64);
        InitramfsWriter w = new InitramfsWriter();
        InitramfsWriter.RootfsArchive first = cache.rootfs(root, key, w);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())))
                .isEqualTo("rw-------");
        assertThat(first.hasDev()).isFalse();

        Files.writeString(root.resolve("bin/added-later"), "not in the cached archive");
        InitramfsWriter.RootfsArchive second = cache.rootfs(root, key, w);
        assertThat(second).isEqualTo(first);

        GuestKit kit = GuestKit.load(TestKits.write(tmp.resolve("kit"), TestKits.MICROVM));
        GuestProcess p = GuestProcess.of("/bin/busybox");
        Path out = tmp.resolve("initrd.cpio");
        w.write(second, p, kit, Optional.empty(), out);
        byte[] all = Files.readAllBytes(out);
        int rootfsSize = (int) Files.size(first.file());
        Map<String, InitramfsWriterTest.Entry> rootEntries = InitramfsWriterTest.read(Arrays.copyOf(all, rootfsSize));
        Map<String, InitramfsWriterTest.Entry> ours =
                InitramfsWriterTest.read(Arrays.copyOfRange(all, rootfsSize, all.length));
        assertThat(rootEntries.keySet()).containsExactly("bin", "bin/busybox");
        assertThat(ours.keySet()).containsExactly("dev", "dev/console", "jurunc", "jurunc/init", "jurunc/process");
        assertThat(ours.get("jurunc/process").data()).isEqualTo(ProcessFile.encode(p));

        Path direct = tmp.resolve("direct.cpio");
        Files.delete(root.resolve("bin/added-later"));
        w.write(root, p, kit, Optional.empty(), direct);
        Map<String, InitramfsWriterTest.Entry> whole = InitramfsWriterTest.read(Files.readAllBytes(direct));
        assertThat(whole.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(rootEntries.keySet().stream(), ours.keySet().stream())
                                .toList());
    }

    @Test
    void theLeastRecentlyUsedEntriesAreEvictedBeyondTheBound() throws Exception {
        Path root = rootfs();
        InitramfsWriter w = new InitramfsWriter();
        Path dir = tmp.resolve("cache");
        long one = Files.size(
                new InitramfsCache(dir, 1 << 20).rootfs(root, "0".repeat(64), w).file());
        InitramfsCache cache = new InitramfsCache(dir, 2 * one);
        Path a = cache.rootfs(root, "1".repeat(64), w).file();
        Files.setLastModifiedTime(
                dir.resolve("0".repeat(64) + "-.cpio"), java.nio.file.attribute.FileTime.fromMillis(1000));
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(2000));
        Path b = cache.rootfs(root, "2".repeat(64), w).file();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly(a.getFileName().toString(), b.getFileName().toString());
        }
    }

    @Test
    void aCacheDirectoryThatIsASymlinkOrAKeyThatIsNotADigestIsRefused() throws Exception {
        Path root = rootfs();
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThatThrownBy(() -> new InitramfsCache(link, 1 << 20).rootfs(root, "b".repeat(64), new InitramfsWriter()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new InitramfsCache(real, 1 << 20).rootfs(root, "../x", new InitramfsWriter()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(real.toFile().list())).isEmpty();
    }
}
