package io.jurunc.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link GuestResources}. */
class GuestResourcesTest {
    private static final long MIB = 1024L * 1024;
    private static final HostCapacity HOST = new HostCapacity(8192 * MIB, 4);
    private static final ResourceDefaults DEFAULTS = ResourceDefaults.standard();

    private static GuestResources compute(GuestType g, long initrd, ResourceLimits l) throws GuestResourcesException {
        return GuestResources.compute(g, initrd, l, DEFAULTS, HOST);
    }

    private static ResourceLimits mem(Long limit) {
        return new ResourceLimits(limit, null, null, null);
    }

    private static ResourceLimits cpu(Long quota, Long period, String cpus) {
        return new ResourceLimits(null, quota, period, cpus);
    }

    @Test
    void memory_unsetZeroOrUnlimited_isTheConfiguredDefaultInDecimalMegabytes() throws Exception {
        assertThat(compute(Kinds.MIRAGE, 0, ResourceLimits.none()).memoryBytes())
                .isEqualTo(256_000_000L);
        assertThat(compute(Kinds.LINUX, 0, mem(0L)).memoryBytes()).isEqualTo(256_000_000L);
        assertThat(compute(Kinds.UNIKRAFT, 0, mem(-1L)).memoryBytes()).isEqualTo(256_000_000L);
        ResourceDefaults d = new ResourceDefaults(128, 1, null);
        assertThat(GuestResources.compute(Kinds.MIRAGE, 0, ResourceLimits.none(), d, HOST))
                .isEqualTo(new GuestResources(128_000_000L, 1));
    }

    @Test
    void memory_defaultBelowGuestMinimum_isRaisedToTheMinimum() throws Exception {
        assertThat(compute(Kinds.MEWZ, 0, ResourceLimits.none()).memoryBytes()).isEqualTo(512 * MIB);
    }

    @Test
    void memory_explicitLimit_isPassedThroughInBytes() throws Exception {
        assertThat(compute(Kinds.LINUX, 0, mem(512 * MIB)).memoryBytes()).isEqualTo(512 * MIB);
        assertThat(compute(Kinds.HERMIT, 0, mem(32 * MIB)).memoryBytes()).isEqualTo(32 * MIB);
    }

    @Test
    void memory_belowMinimum_isATypedErrorNamingTheFix() {
        assertThatThrownBy(() -> compute(Kinds.MIRAGE, 0, mem(16 * MIB)))
                .isInstanceOf(GuestResourcesException.class)
                .hasMessage("memory limit 16 MiB (16777216 bytes) is below the minimum of 32 MiB (33554432 bytes) "
                        + "for a mirage guest; raise linux.resources.memory.limit (e.g. --memory 32m)");
        assertThatThrownBy(() -> compute(Kinds.LINUX, 0, mem(48 * MIB))).hasMessageContaining("minimum of 64 MiB");
        assertThatThrownBy(() -> compute(Kinds.MEWZ, 0, mem(256 * MIB))).hasMessageContaining("minimum of 512 MiB");
    }

    @Test
    void memory_linuxInitramfs_needsRoomToUnpackIt() throws Exception {
        assertThat(GuestResources.minimumBytes(Kinds.LINUX, 20 * MIB)).isEqualTo(124 * MIB);
        assertThatThrownBy(() -> compute(Kinds.LINUX, 20 * MIB, mem(120 * MIB)))
                .isInstanceOf(GuestResourcesException.class)
                .hasMessageContaining("with a 20 MiB (20971520 bytes) initramfs")
                .hasMessageContaining("--memory 124m");
        assertThat(compute(Kinds.LINUX, 20 * MIB, mem(124 * MIB)).memoryBytes()).isEqualTo(124 * MIB);
    }

    @Test
    void memory_withoutALimit_isNeverAutoGrownPastOneGibibyte() throws Exception {
        // before: a 2 GiB initramfs silently gave the guest 64 MiB + 4 GiB, up to the host's memory
        assertThatThrownBy(() -> compute(Kinds.LINUX, 2048 * MIB, ResourceLimits.none()))
                .isInstanceOf(GuestResourcesException.class)
                .hasMessageContaining("more than the 1024 MiB (1073741824 bytes) given without a memory limit")
                .hasMessageContaining("linux.resources.memory.limit");
        assertThat(compute(Kinds.LINUX, 300 * MIB, ResourceLimits.none()).memoryBytes())
                .isEqualTo(964 * MIB);
        assertThat(compute(Kinds.LINUX, 2048 * MIB, mem(6400 * MIB)).memoryBytes())
                .isEqualTo(6400 * MIB);
    }

    @Test
    void memory_aboveHostOrConfiguredMaximum_isATypedError() {
        assertThatThrownBy(() -> compute(Kinds.LINUX, 0, mem(9000 * MIB)))
                .isInstanceOf(GuestResourcesException.class)
                .hasMessageContaining("exceeds the host's MemTotal (8192 MiB");
        ResourceDefaults capped = new ResourceDefaults(256, 1, 1000L);
        assertThatThrownBy(() -> GuestResources.compute(Kinds.LINUX, 0, mem(1001_000_000L), capped, HOST))
                .hasMessageContaining("exceeds max_memory_mb = 1000 in /etc/jurunc/config.toml");
        ResourceDefaults tooBig = new ResourceDefaults(100_000, 1, null);
        assertThatThrownBy(() -> GuestResources.compute(Kinds.LINUX, 0, ResourceLimits.none(), tooBig, HOST))
                .hasMessageContaining("lower default_memory_mb");
    }

    @Test
    void vcpus_fromQuotaAndPeriod_roundUp() throws Exception {
        assertThat(compute(Kinds.LINUX, 0, cpu(150_000L, 100_000L, null)).vcpus())
                .isEqualTo(2);
        assertThat(compute(Kinds.LINUX, 0, cpu(200_000L, 100_000L, null)).vcpus())
                .isEqualTo(2);
        assertThat(compute(Kinds.LINUX, 0, cpu(50_000L, null, null)).vcpus()).isEqualTo(1);
        assertThat(compute(Kinds.LINUX, 0, cpu(-1L, 100_000L, null)).vcpus()).isEqualTo(1);
    }

    @Test
    void vcpus_fromCpuset_andTheSmallerOfBoth() throws Exception {
        assertThat(compute(Kinds.LINUX, 0, cpu(null, null, "0-2")).vcpus()).isEqualTo(3);
        assertThat(compute(Kinds.LINUX, 0, cpu(null, null, "1,3")).vcpus()).isEqualTo(2);
        assertThat(compute(Kinds.LINUX, 0, cpu(300_000L, 100_000L, "0")).vcpus())
                .isEqualTo(1);
    }

    @Test
    void vcpus_cappedAtHostCpus_andDefaultWhenUnset() throws Exception {
        assertThat(compute(Kinds.LINUX, 0, cpu(1_000_000L, 100_000L, null)).vcpus())
                .isEqualTo(4);
        assertThat(compute(Kinds.LINUX, 0, cpu(null, null, "0-63")).vcpus()).isEqualTo(4);
        assertThat(compute(Kinds.LINUX, 0, ResourceLimits.none()).vcpus()).isEqualTo(1);
        ResourceDefaults three = new ResourceDefaults(256, 3, null);
        assertThat(GuestResources.compute(Kinds.LINUX, 0, ResourceLimits.none(), three, HOST)
                        .vcpus())
                .isEqualTo(3);
    }

    @Test
    void cpusetCount_parsesLinuxListSyntax() throws Exception {
        assertThat(GuestResources.cpusetCount("0-3,6")).isEqualTo(5);
        assertThat(GuestResources.cpusetCount(" 0 , 2-3 ")).isEqualTo(3);
        assertThat(GuestResources.cpusetCount("0-3,2-5")).isEqualTo(6);
        assertThat(GuestResources.cpusetCount("7")).isEqualTo(1);
    }

    @Test
    void cpusetCount_rejectsGarbage() {
        for (String bad : new String[] {"a", "3-1", "0,,1", "-1", "1-", "0-3;4"}) {
            assertThatThrownBy(() -> GuestResources.cpusetCount(bad))
                    .as(bad)
                    .isInstanceOf(GuestResourcesException.class)
                    .hasMessageStartingWith("invalid cpuset '" + bad + "'");
        }
    }

    @Test
    void hostCapacity_readsMemTotal(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24684092 kB\nMemFree:  1 kB\n");
        assertThat(HostCapacity.memTotal(meminfo)).isEqualTo(24684092L * 1024);
        HostCapacity real = HostCapacity.probe();
        assertThat(real.memTotalBytes()).isPositive();
        assertThat(real.cpus()).isPositive();
    }
}
