package io.jurunc.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFieldsJuruncUsesAndIgnoresTheRest() throws Exception {
        Files.writeString(dir.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/sh","-c","echo hi"],"env":["A=1"],
         "cwd":"/","user":{"uid":1000,"gid":100},"capabilities":{"bounding":[]}},
         "root":{"path":"rootfs"},"annotations":{"com.urunc.unikernel.hypervisor":"qemu"},
         "linux":{"namespaces":[{"type":"network","path":"/var/run/netns/x"},{"type":"pid"}],
                  "resources":{"memory":{"limit":268435456},"cpu":{"quota":200000,"period":100000}},
                  "seccomp":{"defaultAction":"SCMP_ACT_ERRNO"}}}
        """);
        Spec spec = Json.loadSpec(dir);
        assertThat(spec.process().args()).containsExactly("/bin/sh", "-c", "echo hi");
        assertThat(spec.process().user().uidOrRoot()).isEqualTo(1000);
        assertThat(spec.root().path()).isEqualTo("rootfs");
        assertThat(spec.annotations()).containsEntry("com.urunc.unikernel.hypervisor", "qemu");
        assertThat(spec.linux().namespaces()).extracting(Spec.Namespace::type).containsExactly("network", "pid");
        assertThat(spec.linux().resources().memory().limit()).isEqualTo(268435456L);
        assertThat(spec.linux().seccomp()).isNotNull();
    }

    @Test
    void malformedJsonNamesTheFileAndLine() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\n \"process\": {\n  \"args\": [,]\n}}");
        assertThatThrownBy(() -> Json.loadSpec(dir))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("line 3");
    }

    @Test
    void missingConfigSaysWhatToCheck() {
        assertThatThrownBy(() -> Json.loadSpec(dir))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("--bundle");
    }
}
