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
        for (GuestType g : GuestType.all()) {
            for (MonitorType m : MonitorType.all()) {
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
                seen.add(g.key() + "/" + m.key());
            }
        }
        assertThat(seen).hasSize(GuestType.all().size() * MonitorType.all().size() - 13);
    }

    @Test
    void checkPair_message_listsAllowedMonitors() {
        assertThatThrownBy(() -> Monitors.checkPair(Kinds.RUMPRUN, Kinds.FIRECRACKER))
                .isInstanceOf(UnsupportedPairException.class)
                .hasMessage("unikernel type 'rumprun' cannot run on hypervisor 'firecracker'; set "
                        + "com.urunc.unikernel.hypervisor to one of: qemu, hvt, spt");
        assertThatThrownBy(() -> Monitors.checkPair(Kinds.LINUX, Kinds.HVT))
                .hasMessageEndingWith("one of: qemu, firecracker, cloud-hypervisor");
        assertThatCode(() -> Monitors.checkPair(Kinds.HERMIT, Kinds.QEMU)).doesNotThrowAnyException();
    }

    @Test
    void matrix_isUruncsAllowListPlusRumprunOnQemu() {
        assertThat(SupportMatrix.monitorsFor(Kinds.LINUX))
                .containsExactly(Kinds.QEMU, Kinds.FIRECRACKER, Kinds.CLOUD_HYPERVISOR);
        assertThat(SupportMatrix.monitorsFor(Kinds.UNIKRAFT)).containsExactly(Kinds.QEMU, Kinds.FIRECRACKER);
        assertThat(SupportMatrix.monitorsFor(Kinds.RUMPRUN)).containsExactly(Kinds.QEMU, Kinds.HVT, Kinds.SPT);
        assertThat(SupportMatrix.monitorsFor(Kinds.MIRAGE)).containsExactly(Kinds.QEMU, Kinds.HVT, Kinds.SPT);
        assertThat(SupportMatrix.monitorsFor(Kinds.MEWZ)).containsExactly(Kinds.QEMU);
        assertThat(SupportMatrix.monitorsFor(Kinds.HERMIT)).containsExactly(Kinds.QEMU);
    }

    @Test
    void plan_blockForGuestWithoutBlockSupport_isRejected() {
        VmSpec spec = TestSpecs.of(Kinds.UNIKRAFT, Kinds.QEMU).initrd().block().build();
        assertThatThrownBy(() -> monitors.plan(spec))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("'unikraft' does not support block devices");
    }

    @Test
    void plan_solo5WithInitrdOrVsock_isRejected() {
        assertThatThrownBy(() -> monitors.plan(
                        TestSpecs.of(Kinds.MIRAGE, Kinds.HVT).initrd().build()))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("cannot load an initrd");
        assertThatThrownBy(() -> monitors.plan(
                        TestSpecs.of(Kinds.RUMPRUN, Kinds.SPT).vsock().build()))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("has no vsock device");
    }

    @Test
    void plan_linuxWithoutRootfs_isRejected() {
        VmSpec spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).build();
        assertThatThrownBy(() -> monitors.plan(spec))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageStartingWith("a linux guest needs a root filesystem");
    }

    @Test
    void checkAccel_kvmOnlyMonitorsRefuseTcg() throws Exception {
        for (MonitorType m : List.of(Kinds.FIRECRACKER, Kinds.CLOUD_HYPERVISOR, Kinds.HVT)) {
            assertThatThrownBy(() -> Monitors.checkAccel(m, Accel.TCG))
                    .isInstanceOf(GuestSetupException.class)
                    .hasMessageContaining("'" + m.key() + "' needs working KVM");
            Monitors.checkAccel(m, Accel.KVM);
        }
        Monitors.checkAccel(Kinds.QEMU, Accel.TCG);
        Monitors.checkAccel(Kinds.SPT, Accel.TCG);
    }

    @Test
    void qemu_commaInPath_isEscaped() throws Exception {
        VmSpec spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .block(new BlockDevice("rootfs", java.nio.file.Path.of("/run/a,b/disk.img"), null, null))
                .build();
        assertThat(monitors.plan(spec).argv()).contains("format=raw,if=none,id=rootfs,file=/run/a,,b/disk.img");
    }
}
