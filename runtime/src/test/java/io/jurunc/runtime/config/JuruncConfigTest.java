package io.jurunc.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.MonitorType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JuruncConfigTest {
    @TempDir
    Path dir;

    @Test
    void missingFileGivesDefaults() throws Exception {
        JuruncConfig c = JuruncConfig.load(dir.resolve("none.toml"));
        assertThat(c.monitor(MonitorType.parse("qemu")).defaultMemoryMb()).isEqualTo(256);
        assertThat(c.accel()).isEqualTo("auto");
        assertThat(c.timestamps()).isFalse();
    }

    @Test
    void readsSectionsLikeUruncs() throws Exception {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, """
        [log]
        level = "debug"
        [timestamps]
        enabled = true
        destination = "/tmp/ts.log"
        [runtime]
        accel = "tcg"
        kit = "/opt/kit"
        runc = "/usr/sbin/runc"
        [monitors.qemu]
        path = "/opt/qemu/bin/qemu-system-x86_64"
        default_memory_mb = 512
        default_vcpus = 2
        [monitors.firecracker]
        default_memory_mb = 128
        [vaccel]
        agent_address = "tcp://10.0.0.1:8192"
        """);
        JuruncConfig c = JuruncConfig.load(f);
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.timestamps()).isTrue();
        assertThat(c.timestampsDestination()).isEqualTo(Path.of("/tmp/ts.log"));
        assertThat(c.accel()).isEqualTo("tcg");
        assertThat(c.kitDir()).isEqualTo(Path.of("/opt/kit"));
        assertThat(c.monitor(MonitorType.parse("qemu")).path()).contains(Path.of("/opt/qemu/bin/qemu-system-x86_64"));
        assertThat(c.monitor(MonitorType.parse("qemu")).defaultVcpus()).isEqualTo(2);
        assertThat(c.monitor(MonitorType.parse("firecracker")).defaultMemoryMb())
                .isEqualTo(128);
        assertThat(c.vaccelAgentAddress()).contains("tcp://10.0.0.1:8192");
    }

    @Test
    void malformedOrInvalidValuesAreErrors() throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[runtime\naccel=");
        assertThatThrownBy(() -> JuruncConfig.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.toml");
        Files.writeString(f, "[runtime]\naccel = \"hyperv\"\n");
        assertThatThrownBy(() -> JuruncConfig.load(f)).hasMessageContaining("auto, kvm or tcg");
        Files.writeString(f, "[monitors.vmware]\npath = \"/x\"\n");
        assertThatThrownBy(() -> JuruncConfig.load(f)).hasMessageContaining("vmware");
    }
}
