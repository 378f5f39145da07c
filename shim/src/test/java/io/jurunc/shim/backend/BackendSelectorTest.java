package io.jurunc.shim.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.shim.os.RecordingShimOs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendSelectorTest {
    @TempDir
    Path tmp;

    private Path bundle(String name, String annotations, String uruncJson) throws Exception {
        Path b = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(b.resolve("rootfs"));
        Files.writeString(
                b.resolve("config.json"),
                "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"annotations\":" + annotations + "}");
        if (uruncJson != null) {
            Files.writeString(b.resolve("rootfs/urunc.json"), uruncJson);
        }
        return b;
    }

    @Test
    void unikernelMetadataPicksJuruncAndIsRecorded() throws Exception {
        FakeBackend jurunc = new FakeBackend("jurunc");
        FakeBackend runc = new FakeBackend("runc");
        BackendSelector s = new BackendSelector(jurunc, runc, BackendSelector.metadataClassifier());
        Path vm = bundle(
                "vm",
                "{\"com.urunc.unikernel.unikernelType\":\"linux\"," + "\"com.urunc.unikernel.hypervisor\":\"qemu\"}",
                null);
        Path plain = bundle("plain", "{}", null);
        assertThat(s.select(vm)).isSameAs(jurunc);
        assertThat(s.select(plain)).isSameAs(runc);
        assertThat(Files.readString(vm.resolve(BackendSelector.MARKER))).isEqualTo("jurunc");
        // The recorded choice wins even if the bundle changed since.
        Files.writeString(plain.resolve(BackendSelector.MARKER), "jurunc");
        assertThat(s.recorded(plain)).isSameAs(jurunc);
    }

    @Test
    void brokenMetadataIsAnError() throws Exception {
        BackendSelector s = new BackendSelector(
                new FakeBackend("jurunc"), new FakeBackend("runc"), BackendSelector.metadataClassifier());
        Path bad = bundle(
                "bad",
                "{\"com.urunc.unikernel.unikernelType\":\"nonsense\"," + "\"com.urunc.unikernel.hypervisor\":\"qemu\"}",
                null);
        assertThatThrownBy(() -> s.select(bad))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("bad");
    }

    @Test
    void unikernelsRunInProcessUnlessTheCliIsAskedFor() throws Exception {
        Path vm = bundle(
                "vm",
                "{\"com.urunc.unikernel.unikernelType\":\"linux\"," + "\"com.urunc.unikernel.hypervisor\":\"qemu\"}",
                null);
        assertThat(Backends.standard("default", Map.of(), new RecordingShimOs(), m -> {})
                        .select(vm))
                .isInstanceOf(InProcessJuruncBackend.class);
        assertThat(Backends.standard(
                                "default", Map.of(Backends.UNIKERNEL_MODE_ENV, "cli"), new RecordingShimOs(), m -> {})
                        .select(vm))
                .isInstanceOf(RuncStyleBackend.class);
    }
}
