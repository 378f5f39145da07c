package io.jurunc.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link MonitorLocator}. */
class MonitorLocatorTest {
    @TempDir
    Path dir;

    private Path executable(Path p) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void locate_searchesPathInOrder() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createDirectories(a);
        Path fc = executable(b.resolve("firecracker"));
        executable(b.resolve("qemu-system-x86_64"));
        Path qemuA = executable(a.resolve("qemu-system-x86_64"));
        MonitorLocator loc = new MonitorLocator(Map.of(), a + ":" + b, "amd64");
        assertThat(loc.locate(Kinds.QEMU)).isEqualTo(qemuA);
        assertThat(loc.locate(Kinds.FIRECRACKER)).isEqualTo(fc);
    }

    @Test
    void locate_configuredPathWins() throws Exception {
        Path configured = executable(dir.resolve("opt/qemu"));
        executable(dir.resolve("bin/qemu-system-x86_64"));
        MonitorLocator loc = new MonitorLocator(
                Map.of(Kinds.QEMU, configured), dir.resolve("bin").toString(), "x86_64");
        assertThat(loc.locate(Kinds.QEMU)).isEqualTo(configured);
    }

    @Test
    void locate_missingBinary_saysWhichAndHowToConfigure() {
        MonitorLocator loc = new MonitorLocator(Map.of(), dir.toString(), "x86_64");
        assertThatThrownBy(() -> loc.locate(Kinds.HVT))
                .isInstanceOfSatisfying(
                        MonitorNotFoundException.class,
                        e -> assertThat(e.monitor()).isEqualTo(Kinds.HVT))
                .hasMessage("the hvt monitor binary 'solo5-hvt' is not in PATH ("
                        + dir
                        + "); install it or set its location in /etc/jurunc/config.toml: "
                        + "[monitors.hvt] path = \"/path/to/solo5-hvt\"");
    }

    @Test
    void locate_badConfiguredPath_isReported() throws Exception {
        Path missing = dir.resolve("nope/firecracker");
        MonitorLocator loc = new MonitorLocator(Map.of(Kinds.FIRECRACKER, missing), "", "x86_64");
        assertThatThrownBy(() -> loc.locate(Kinds.FIRECRACKER))
                .isInstanceOf(MonitorNotFoundException.class)
                .hasMessageContaining("does not exist");
        Path notExec = dir.resolve("ch");
        Files.writeString(notExec, "x");
        MonitorLocator loc2 = new MonitorLocator(Map.of(Kinds.CLOUD_HYPERVISOR, notExec), "", "x86_64");
        assertThatThrownBy(() -> loc2.locate(Kinds.CLOUD_HYPERVISOR)).hasMessageContaining("is not an executable file");
    }

    @Test
    void binaryName_perMonitorAndArch() {
        MonitorLocator arm = new MonitorLocator(Map.of(), "", "aarch64");
        MonitorLocator x86 = new MonitorLocator(Map.of(), "", "amd64");
        assertThat(arm.binaryName(Kinds.QEMU)).isEqualTo("qemu-system-aarch64");
        assertThat(x86.binaryName(Kinds.QEMU)).isEqualTo("qemu-system-x86_64");
        assertThat(x86.binaryName(Kinds.CLOUD_HYPERVISOR)).isEqualTo("cloud-hypervisor");
        assertThat(x86.binaryName(Kinds.SPT)).isEqualTo("solo5-spt");
    }

    @Test
    void locate_thisHostHasQemu() throws Exception {
        assertThat(MonitorLocator.forThisHost(Map.of()).locate(Kinds.QEMU).getFileName())
                .hasToString("qemu-system-x86_64");
    }
}
