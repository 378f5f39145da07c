package io.jurunc.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestKitTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheDefaultAndTheStandardKernel() throws Exception {
        TestKits.write(dir, TestKits.MICROVM);
        GuestKit kit = GuestKit.load(dir);
        assertThat(kit.flavor()).isEqualTo(KernelFlavor.MICROVM);
        assertThat(kit.kernel()).isEqualTo(dir.resolve("vmlinuz"));
        assertThat(kit.init()).isEqualTo(dir.resolve("init"));
        assertThat(kit.modules()).isEmpty();

        GuestKit std = GuestKit.loadStandard(dir);
        assertThat(std.flavor()).isEqualTo(KernelFlavor.STANDARD);
        assertThat(std.kernel()).isEqualTo(dir.resolve("debian/vmlinuz"));
        assertThat(std.modules())
                .containsExactly(dir.resolve("debian/modules/virtio.ko"), dir.resolve("debian/modules/virtio_net.ko"));
    }

    @Test
    void missingKitNamesTheFileAndTheScript() {
        assertThatThrownBy(() -> GuestKit.load(dir.resolve("nope")))
                .isInstanceOf(GuestKitException.class)
                .hasMessageContaining("nope/kit.json")
                .hasMessageContaining("scripts/build-kit.sh");
    }

    @Test
    void missingFileNamesTheFile() throws Exception {
        TestKits.write(dir, TestKits.STANDARD);
        Files.delete(dir.resolve("debian/modules/virtio_net.ko"));
        assertThatThrownBy(() -> GuestKit.load(dir))
                .isInstanceOf(GuestKitException.class)
                .hasMessageContaining("virtio_net.ko")
                .hasMessageContaining("scripts/build-kit.sh");
        Files.delete(dir.resolve("init"));
        assertThatThrownBy(() -> GuestKit.loadStandard(dir)).hasMessageContaining("/init");
    }

    @Test
    void rejectsMalformedDescriptions() throws Exception {
        TestKits.write(dir, "{not json");
        assertThatThrownBy(() -> GuestKit.load(dir)).hasMessageContaining("not JSON");
        Files.writeString(dir.resolve("kit.json"), "{\"version\": 2}");
        assertThatThrownBy(() -> GuestKit.load(dir)).hasMessageContaining("version 1");
        Files.writeString(dir.resolve("kit.json"), TestKits.MICROVM.replace("\"microvm\"", "\"x\""));
        assertThatThrownBy(() -> GuestKit.load(dir)).hasMessageContaining("unknown flavor \"x\"");
        Files.writeString(
                dir.resolve("kit.json"),
                TestKits.MICROVM.replace("\"kernel\": \"vmlinuz\"", "\"kernel\": \"../../etc/passwd\""));
        assertThatThrownBy(() -> GuestKit.load(dir)).hasMessageContaining("not a path inside the kit");
        Files.writeString(dir.resolve("kit.json"), """
        {"version": 1, "kernel": "debian/vmlinuz", "flavor": "standard", "init": "init",
         "modules": []}""");
        assertThatThrownBy(() -> GuestKit.load(dir)).hasMessageContaining("lists no modules");
    }
}
