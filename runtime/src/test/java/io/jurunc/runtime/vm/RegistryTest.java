package io.jurunc.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry of guest types and monitors: what {@link GuestType#all()} and {@link MonitorType#all()} hold. */
class RegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyGuestAndMonitorIsRegisteredOnce_inTheRegistryFilesOrder() {
        assertThat(GuestType.all().stream().map(GuestType::key))
                .doesNotHaveDuplicates()
                .containsSubsequence("linux", "unikraft", "rumprun", "mirage", "mewz", "hermit");
        assertThat(MonitorType.all().stream().map(MonitorType::key))
                .doesNotHaveDuplicates()
                .containsSubsequence("qemu", "firecracker", "cloud-hypervisor", "hvt", "spt");
        assertThat(MonitorType.all().stream().flatMap(m -> m.aliases().stream()))
                .doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(
                        MonitorType.all().stream().map(MonitorType::key).toList());
    }

    @Test
    void parse_findsKeysAliasesAndOlderStateNames_inAnyCase() {
        for (MonitorType m : MonitorType.all()) {
            assertThat(MonitorType.parse(m.key().toUpperCase())).isSameAs(m);
            m.aliases().forEach(a -> assertThat(MonitorType.parse(a)).isSameAs(m));
        }
        assertThat(MonitorType.parse("solo5-hvt").key()).isEqualTo("hvt");
        assertThat(MonitorType.parse("clh").key()).isEqualTo("cloud-hypervisor");
        assertThat(MonitorType.parse("CLOUD_HYPERVISOR").key()).isEqualTo("cloud-hypervisor");
        for (GuestType g : GuestType.all()) {
            assertThat(GuestType.parse(" " + g.key().toUpperCase() + " ")).isSameAs(g);
        }
    }

    @Test
    void parse_unknownNames_listTheRegisteredOnes() {
        assertThatThrownBy(() -> GuestType.parse("osv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown unikernel type 'osv'; expected one of linux, unikraft, rumprun")
                .hasMessageContainingAll(
                        GuestType.all().stream().map(GuestType::key).toArray(String[]::new));
        assertThatThrownBy(() -> MonitorType.parse("hyperlight"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "unknown hypervisor 'hyperlight'; expected one of qemu, firecracker, cloud-hypervisor")
                .hasMessageContainingAll(
                        MonitorType.all().stream().map(MonitorType::key).toArray(String[]::new));
    }

    @Test
    void jsonFormIsTheKey_andReadsBackToTheSameInstance() throws Exception {
        record Pair(GuestType guest, MonitorType monitor) {}
        Pair p = new Pair(Kinds.MIRAGE, Kinds.CLOUD_HYPERVISOR);
        String json = JSON.writeValueAsString(p);
        assertThat(JSON.readValue(json, Map.class)).isEqualTo(Map.of("guest", "mirage", "monitor", "cloud-hypervisor"));
        Pair back = JSON.readValue(json, Pair.class);
        assertThat(back.guest()).isSameAs(Kinds.MIRAGE);
        assertThat(back.monitor()).isSameAs(Kinds.CLOUD_HYPERVISOR);
        assertThat(JSON.readValue("{\"guest\":\"LINUX\",\"monitor\":\"QEMU\"}", Pair.class))
                .isEqualTo(new Pair(Kinds.LINUX, Kinds.QEMU));
    }

    @Test
    void capabilitiesSayWhatTheSpecialCasesSaidBefore() {
        assertThat(List.of(Kinds.HVT, Kinds.SPT))
                .noneMatch(MonitorType::loadsInitrd)
                .noneMatch(MonitorType::hasVsock);
        assertThat(List.of(Kinds.QEMU, Kinds.FIRECRACKER, Kinds.CLOUD_HYPERVISOR))
                .allMatch(MonitorType::loadsInitrd)
                .allMatch(MonitorType::hasVsock);
        assertThat(List.of(Kinds.QEMU, Kinds.FIRECRACKER, Kinds.CLOUD_HYPERVISOR, Kinds.HVT, Kinds.SPT))
                .extracting(MonitorType::kvm)
                .containsExactly(
                        MonitorType.KvmUse.PREFERRED,
                        MonitorType.KvmUse.REQUIRED,
                        MonitorType.KvmUse.REQUIRED,
                        MonitorType.KvmUse.REQUIRED,
                        MonitorType.KvmUse.NONE);
        assertThat(List.of(Kinds.QEMU)).allMatch(MonitorType::sharesDirectories).allMatch(MonitorType::hasVirtioSerial);
        assertThat(GuestType.all()).filteredOn(GuestType::runsJuruncInit).containsExactly(Kinds.LINUX);
        assertThat(List.of(Kinds.LINUX.minimumBytes(0), Kinds.MEWZ.minimumBytes(0), Kinds.HERMIT.minimumBytes(0)))
                .containsExactly(64 * MemoryUnits.MIB, 512 * MemoryUnits.MIB, 32 * MemoryUnits.MIB);
    }
}
