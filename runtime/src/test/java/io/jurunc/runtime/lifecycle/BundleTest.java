package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
    @TempDir
    Path dir;

    private void config(String json) throws Exception {
        Files.createDirectories(dir.resolve("rootfs"));
        Files.writeString(dir.resolve("config.json"), json);
    }

    @Test
    void anOrdinaryBundleIsRecognisedWithoutParsing() throws Exception {
        config("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"annotations\":{}}");
        assertThat(Bundle.certainlyNotUnikernel(dir)).isTrue();
        assertThat(Bundle.load(dir).isUnikernel()).isFalse();
    }

    @Test
    void annotationsOrAUruncJsonMeanParseIt() throws Exception {
        config("{\"root\":{\"path\":\"rootfs\"},\"annotations\":{\"com.urunc.unikernel.hypervisor\":\"qemu\"}}");
        assertThat(Bundle.certainlyNotUnikernel(dir)).isFalse();
        config("{\"root\":{\"path\":\"rootfs\"}}");
        Files.writeString(dir.resolve("rootfs/urunc.json"), "{}");
        assertThat(Bundle.certainlyNotUnikernel(dir)).isFalse();
    }

    @Test
    void anythingUnusualFallsBackToTheFullParse() throws Exception {
        config("{\"root\":{\"readonly\":true,\"path\":\"rootfs\"}}");
        assertThat(Bundle.certainlyNotUnikernel(dir)).isFalse();
        config("{\"root\":{\"path\":\"rootfs\"},\"annotations\":{\"\\u0063om.urunc.unikernel.type\":\"linux\"}}");
        assertThat(Bundle.certainlyNotUnikernel(dir)).isFalse();
        assertThat(Bundle.certainlyNotUnikernel(dir.resolve("missing"))).isFalse();
    }
}
