package io.jurunc.runtime.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for the checks in {@link Monitors#plan}, {@link Monitors#checkPair} and {@link Monitors#checkAccel}. */
class MonitorsValidationTest {
    private final Monitors monitors = new Monitors();

    @Test
    void plan_everyUnsupportedPair_throwsNamingBothAndTheAllowedMonitors() {
        List<String> seen = new ArrayList<>();
        for (GuestType g : GuestType.values()) {
            for (MonitorType m : MonitorType.values()) {
                if (SupportMatrix.supports(g, m)) {
                    continue;
                }
                VmSpec spec = TestSpecs.of(g, m).initrd().build();
                assertThatThrownBy(() -> monitors.plan(spec))
                        .isInstanceOfSatisfying(UnsupportedPairException.class, e -> {
                            assertThat(e.guest()).isEqualTo(g);
                            assertThat(e.monitor()).isEqualTo(m);
                            assertThat(e.allowed()).isEqualTo(SupportMatrix.monitorsFor(g));
                            assertThat(e.getMessage()).contains("'" + g.key() + "'", "'" + m.key() + "'");
                        });
                seen.add(g + "/" + m);
            }
        }
        assertThat(seen).hasSize(GuestType.values().length * MonitorType.values().length - 13);
    }

    @Test
    void checkPair_message_listsAllowedMonitors() {
        assertThatThrownBy(() -> Monitors.checkPair(GuestType.RUMPRUN, MonitorType.FIRECRACKER))
                .isInstanceOf(UnsupportedPairException.class)
                .hasMessage("unikernel type 'rumprun' cannot run on hypervisor 'firecracker'; set "
                        + "com.urunc.unikernel.hypervisor to one of: qemu, hvt, spt");
        assertThatThrownBy(() -> Monitors.checkPair(GuestType.LINUX, MonitorType.HVT))
                .hasMessageEndingWith("one of: qemu, firecracker, cloud-hypervisor");
        assertThatCode(() -> Monitors.checkPair(GuestType.HERMIT, MonitorType.QEMU))
                .doesNotThrowAnyException();
    }

    @Test
    void matrix_isUruncsAllowListPlusRumprunOnQemu() {
        assertThat(SupportMatrix.monitorsFor(GuestType.LINUX))
                .containsExactly(MonitorType.QEMU, MonitorType.FIRECRACKER, MonitorType.CLOUD_HYPERVISOR);
        assertThat(SupportMatrix.monitorsFor(GuestType.UNIKRAFT))
                .containsExactly(MonitorType.QEMU, MonitorType.FIRECRACKER);
        assertThat(SupportMatrix.monitorsFor(GuestType.RUMPRUN))
                .containsExactly(MonitorType.QEMU, MonitorType.HVT, MonitorType.SPT);
        assertThat(SupportMatrix.monitorsFor(GuestType.MIRAGE))
                .containsExactly(MonitorType.QEMU, MonitorType.HVT, MonitorType.SPT);
        assertThat(SupportMatrix.monitorsFor(GuestType.MEWZ)).containsExactly(MonitorType.QEMU);
        assertThat(SupportMatrix.monitorsFor(GuestType.HERMIT)).containsExactly(MonitorType.QEMU);
    }

    @Test
    void plan_blockForGuestWithoutBlockSupport_isRejected() {
        VmSpec spec = TestSpecs.of(GuestType.UNIKRAFT, MonitorType.QEMU)
                .initrd()
                .block()
                .build();
        assertThatThrownBy(() -> monitors.plan(spec))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("'unikraft' does not support block devices");
    }

    @Test
    void plan_solo5WithInitrdOrVsock_isRejected() {
        assertThatThrownBy(() -> monitors.plan(
                        TestSpecs.of(GuestType.MIRAGE, MonitorType.HVT).initrd().build()))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("cannot load an initrd");
        assertThatThrownBy(() -> monitors.plan(
                        TestSpecs.of(GuestType.RUMPRUN, MonitorType.SPT).vsock().build()))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("has no vsock device");
    }

    @Test
    void plan_linuxWithoutRootfs_isRejected() {
        VmSpec spec = TestSpecs.of(GuestType.LINUX, MonitorType.QEMU).build();
        assertThatThrownBy(() -> monitors.plan(spec))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageStartingWith("a linux guest needs a root filesystem");
    }

    @Test
    void builderInterface_invalidSpec_throwsUnchecked() {
        VmSpec spec = TestSpecs.of(GuestType.LINUX, MonitorType.QEMU).build();
        assertThatThrownBy(() -> monitors.builder(MonitorType.QEMU).build(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(GuestSetupException.class);
    }

    @Test
    void checkAccel_kvmOnlyMonitorsRefuseTcg() throws Exception {
        for (MonitorType m : List.of(MonitorType.FIRECRACKER, MonitorType.CLOUD_HYPERVISOR, MonitorType.HVT)) {
            assertThatThrownBy(() -> Monitors.checkAccel(m, Accel.TCG))
                    .isInstanceOf(GuestSetupException.class)
                    .hasMessageContaining("'" + m.key() + "' needs working KVM");
            Monitors.checkAccel(m, Accel.KVM);
        }
        Monitors.checkAccel(MonitorType.QEMU, Accel.TCG);
        Monitors.checkAccel(MonitorType.SPT, Accel.TCG);
    }

    @Test
    void qemu_commaInPath_isEscaped() throws Exception {
        VmSpec spec = TestSpecs.of(GuestType.LINUX, MonitorType.QEMU)
                .block(new BlockDevice("rootfs", java.nio.file.Path.of("/run/a,b/disk.img"), null, null))
                .build();
        assertThat(monitors.plan(spec).argv()).contains("format=raw,if=none,id=rootfs,file=/run/a,,b/disk.img");
    }
}
