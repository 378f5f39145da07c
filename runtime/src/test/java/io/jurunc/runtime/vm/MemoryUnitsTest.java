package io.jurunc.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link MemoryUnits}. */
class MemoryUnitsTest {
    @Test
    void forMonitor_qemuAndSolo5AreDecimalMegabytes_fcAndChAreMebibytes() {
        long mib256 = 256L * 1024 * 1024;
        assertThat(MemoryUnits.forMonitor(Kinds.QEMU, mib256)).isEqualTo(268);
        assertThat(MemoryUnits.forMonitor(Kinds.HVT, mib256)).isEqualTo(268);
        assertThat(MemoryUnits.forMonitor(Kinds.SPT, 256_999_999L)).isEqualTo(256);
        assertThat(MemoryUnits.forMonitor(Kinds.FIRECRACKER, mib256)).isEqualTo(256);
        assertThat(MemoryUnits.forMonitor(Kinds.CLOUD_HYPERVISOR, mib256 - 1)).isEqualTo(255);
        assertThat(MemoryUnits.forMonitor(Kinds.FIRECRACKER, 256_000_000L)).isEqualTo(244);
    }
}
