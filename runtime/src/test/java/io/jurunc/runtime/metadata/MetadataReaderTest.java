package io.jurunc.runtime.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.Kinds;
import io.jurunc.urunc.UruncKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataReaderTest {
    @TempDir
    Path rootfs;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void uruncJson(Map<String, String> plain) throws Exception {
        StringBuilder sb = new StringBuilder("{");
        plain.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(b64(v))
                .append('"'));
        Files.writeString(rootfs.resolve("urunc.json"), sb.append('}').toString());
    }

    @Test
    void noKeysAnywhereMeansNotAUnikernel() throws Exception {
        assertThat(MetadataReader.read(Map.of("org.opencontainers.image.title", "x"), rootfs))
                .isEmpty();
    }

    @Test
    void annotationsWithTypeAndHypervisorWinAndArePlainText() throws Exception {
        uruncJson(Map.of(UruncKeys.TYPE, "unikraft", UruncKeys.HYPERVISOR, "firecracker", UruncKeys.BINARY, "/k"));
        var md = MetadataReader.read(Map.of(UruncKeys.TYPE, "linux", UruncKeys.HYPERVISOR, "qemu"), rootfs)
                .orElseThrow();
        assertThat(md.guest()).isEqualTo(Kinds.LINUX);
        assertThat(md.monitor()).isEqualTo(Kinds.QEMU);
        assertThat(md.source()).isEqualTo("annotations");
    }

    @Test
    void uruncJsonIsBase64DecodedWhenAnnotationsAreIncomplete() throws Exception {
        uruncJson(Map.of(
                UruncKeys.TYPE,
                "unikraft",
                UruncKeys.HYPERVISOR,
                "qemu",
                UruncKeys.BINARY,
                "/unikernel/app",
                UruncKeys.VERSION,
                "0.17.0",
                UruncKeys.CMDLINE,
                "app -v"));
        var md = MetadataReader.read(Map.of(UruncKeys.HYPERVISOR, "firecracker", UruncKeys.VACCEL, "vsock"), rootfs)
                .orElseThrow();
        assertThat(md.source()).isEqualTo("urunc.json");
        assertThat(md.guest()).isEqualTo(Kinds.UNIKRAFT);
        assertThat(md.monitor()).isEqualTo(Kinds.QEMU);
        assertThat(md.binary().orElseThrow().value()).isEqualTo("/unikernel/app");
        assertThat(md.version()).contains("0.17.0");
        assertThat(md.cmdline()).contains("app -v");
        assertThat(md.vaccel()).contains("vsock"); // vAccel keys always come from the spec
    }

    @Test
    void errorsNameTheKeyAndTheFix() throws Exception {
        assertThatThrownBy(() -> MetadataReader.read(Map.of(UruncKeys.TYPE, "linux"), rootfs))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining(UruncKeys.HYPERVISOR)
                .hasMessageContaining("missing")
                .hasMessageContaining("qemu");
        assertThatThrownBy(() ->
                        MetadataReader.read(Map.of(UruncKeys.TYPE, "windows", UruncKeys.HYPERVISOR, "qemu"), rootfs))
                .hasMessageContaining(UruncKeys.TYPE)
                .hasMessageContaining("unikraft");
        assertThatThrownBy(() ->
                        MetadataReader.read(Map.of(UruncKeys.TYPE, "unikraft", UruncKeys.HYPERVISOR, "qemu"), rootfs))
                .hasMessageContaining(UruncKeys.BINARY)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> MetadataReader.read(
                        Map.of(UruncKeys.TYPE, "linux", UruncKeys.HYPERVISOR, "qemu", UruncKeys.MOUNT_ROOTFS, "maybe"),
                        rootfs))
                .hasMessageContaining("not a boolean");
    }

    @Test
    void badUruncJsonIsReported() throws Exception {
        Files.writeString(rootfs.resolve("urunc.json"), "{\"" + UruncKeys.TYPE + "\":\"b64:!!!notbase64\"}");
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs))
                .isInstanceOf(MetadataException.class)
                .hasMessageStartingWith(UruncKeys.TYPE + ": has the b64: prefix but is not valid base64");
        Files.writeString(rootfs.resolve("urunc.json"), "{not json");
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs)).hasMessageContaining("not valid JSON");
        Files.delete(rootfs.resolve("urunc.json"));
        Files.createDirectory(rootfs.resolve("urunc.json"));
        assertThatThrownBy(() -> MetadataReader.read(Map.of(), rootfs)).hasMessageContaining("directory");
    }

    @Test
    void pathsMustBeCleanAndStayInsideTheRootfs() throws Exception {
        for (String bad : new String[] {"../etc/passwd", "/a/../b", "-rf", "/", ".", "a//b", "/a b", "/a;b"}) {
            assertThatThrownBy(() -> GuestPath.parse(UruncKeys.BINARY, bad))
                    .as(bad)
                    .isInstanceOf(MetadataException.class)
                    .hasMessageContaining(UruncKeys.BINARY);
        }
        Files.createDirectories(rootfs.resolve("boot"));
        Files.writeString(rootfs.resolve("boot/k"), "x");
        assertThat(GuestPath.parse(UruncKeys.BINARY, "/boot/k").resolveIn(rootfs))
                .isEqualTo(rootfs.resolve("boot/k").toRealPath());
        Files.createSymbolicLink(rootfs.resolve("boot/escape"), Path.of("/etc/hostname"));
        assertThatThrownBy(
                        () -> GuestPath.parse(UruncKeys.BINARY, "/boot/escape").resolveIn(rootfs))
                .hasMessageContaining("outside the rootfs");
        assertThatThrownBy(() -> GuestPath.parse(UruncKeys.INITRD, "/boot/none").resolveIn(rootfs))
                .hasMessageContaining(UruncKeys.INITRD)
                .hasMessageContaining("not found");
    }

    @Test
    void valuesArePlainPrefixedOrLegacyBase64InBothSources() throws Exception {
        Files.writeString(
                rootfs.resolve("urunc.json"),
                "{\"" + UruncKeys.TYPE + "\":\"mirage\",\""
                        + UruncKeys.HYPERVISOR + "\":\"b64:" + b64("spt") + "\",\"" + UruncKeys.BINARY + "\":\""
                        + b64("/unikernel/test_net.spt") + "\"}");
        var md = MetadataReader.read(Map.of(), rootfs).orElseThrow();
        assertThat(md.guest()).isEqualTo(Kinds.MIRAGE);
        assertThat(md.monitor()).isEqualTo(Kinds.SPT);
        assertThat(md.binary().orElseThrow().value()).isEqualTo("/unikernel/test_net.spt");

        var fromSpec = MetadataReader.read(
                        Map.of(
                                UruncKeys.TYPE,
                                b64("unikraft"),
                                UruncKeys.HYPERVISOR,
                                "b64:" + b64("qemu"),
                                UruncKeys.BINARY,
                                "/unikernel/app",
                                UruncKeys.VERSION,
                                "0.16.0"),
                        rootfs)
                .orElseThrow();
        assertThat(fromSpec.guest()).isEqualTo(Kinds.UNIKRAFT);
        assertThat(fromSpec.monitor()).isEqualTo(Kinds.QEMU);
        assertThat(fromSpec.version()).contains("0.16.0");
    }

    @Test
    void solo5DeviceNamesAreReadAndValidated() throws Exception {
        var md = MetadataReader.read(
                        Map.of(
                                UruncKeys.TYPE,
                                "mirage",
                                UruncKeys.HYPERVISOR,
                                "spt",
                                UruncKeys.BINARY,
                                "/k",
                                UruncKeys.SOLO5_NET_DEV,
                                "service0",
                                UruncKeys.SOLO5_BLK_DEV,
                                b64("storage")),
                        rootfs)
                .orElseThrow();
        assertThat(md.solo5Devices().net()).contains("service0");
        assertThat(md.solo5Devices().block()).contains("storage");

        var defaults = MetadataReader.read(
                        Map.of(UruncKeys.TYPE, "mirage", UruncKeys.HYPERVISOR, "spt", UruncKeys.BINARY, "/k"), rootfs)
                .orElseThrow();
        assertThat(defaults.solo5Devices().net()).isEmpty();
        assertThat(defaults.solo5Devices().block()).isEmpty();

        for (String bad : new String[] {"serv-ice", "a".repeat(68), "x=/etc/passwd"}) {
            assertThatThrownBy(() -> MetadataReader.read(
                            Map.of(
                                    UruncKeys.TYPE,
                                    "mirage",
                                    UruncKeys.HYPERVISOR,
                                    "spt",
                                    UruncKeys.BINARY,
                                    "/k",
                                    UruncKeys.SOLO5_NET_DEV,
                                    bad),
                            rootfs))
                    .isInstanceOf(MetadataException.class)
                    .satisfies(e -> assertThat(((MetadataException) e).key()).isEqualTo(UruncKeys.SOLO5_NET_DEV));
        }
    }
}
