package io.jurunc.runtime.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jurunc.urunc.UruncKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /urunc.json is image input: no links followed, regular files only, size-capped, content never echoed. */
class UruncJsonFileTest {
    @TempDir
    Path tmp;

    Path rootfs;
    Path hostSecret;

    @BeforeEach
    void setUp() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        hostSecret = Files.writeString(tmp.resolve("shadow"), "root:$6$supersecrethash:19000:0:99999:7:::\n");
    }

    @Test
    void aSymlinkToAHostFileIsRefusedWithoutShowingItsContent() throws Exception {
        // before: the link was followed and Jackson's error quoted the host file ("Unrecognized token 'root'")
        Files.createSymbolicLink(rootfs.resolve("urunc.json"), hostSecret);
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("symbolic link")
                .hasMessageNotContaining("supersecret")
                .hasMessageNotContaining("root:");
    }

    @Test
    void aFifoFailsAtOnceInsteadOfHangingCreate() throws Exception {
        // before: Files.readAllBytes blocked forever waiting for a writer
        Process p = new ProcessBuilder("mkfifo", rootfs.resolve("urunc.json").toString()).start();
        assertThat(p.waitFor()).isZero();
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs))
                        .isInstanceOf(MetadataException.class)
                        .hasMessageContaining("not a regular file"));
    }

    @Test
    void anOversizedFileIsRefused() throws Exception {
        // before: any size was read into memory
        Files.write(rootfs.resolve("urunc.json"), new byte[RootfsFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("more than the " + RootfsFile.MAX_BYTES);
    }

    @Test
    void invalidJsonIsReportedByPositionNotByContent() throws Exception {
        Files.writeString(rootfs.resolve("urunc.json"), "\n  supersecret-token");
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("not valid JSON (line 2")
                .hasMessageNotContaining("supersecret");
    }

    @Test
    void aRegularFileStillWorksAndAMissingOneIsNoMetadata() throws Exception {
        assertThat(MetadataReader.read(Map.of(), rootfs)).isEmpty();
        Files.writeString(
                rootfs.resolve("urunc.json"),
                "{\"" + UruncKeys.TYPE + "\":\"b64:bGludXg=\",\"" + UruncKeys.HYPERVISOR + "\":\"b64:cWVtdQ==\"}");
        assertThat(MetadataReader.read(Map.of(), rootfs)).isPresent();
    }
}
