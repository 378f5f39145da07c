package io.jurunc.runtime.vm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.HostTsc;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.TestSpecs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tests for the host-wide {@link QemuOptions}. */
class QemuOptionsTest {
    @Test
    void tcgOptions_dataPathAndVhost_reachTheArgv() throws Exception {
        Monitors monitors = new Monitors(new QemuOptions("tcg,tb-size=64", true, Path.of("/opt/qemu/share")));
        var argv = monitors.plan(TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                        .microvm()
                        .initrd()
                        .net()
                        .build())
                .argv();
        assertThat(argv)
                .containsSequence("-smp", "1", "-L", "/opt/qemu/share", "-accel", "tcg,tb-size=64")
                .contains("tap,id=net0,ifname=tap0_c1,script=no,downscript=no,vhost=on");
    }

    @Test
    void kvm_ignoresTheTcgOptions() throws Exception {
        Monitors monitors = new Monitors(new QemuOptions("tcg,tb-size=64"));
        var argv = monitors.plan(
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU).initrd().kvm().build())
                .argv();
        assertThat(argv).containsSequence("-accel", "kvm", "-cpu", "host").doesNotContain("-L");
        assertThat(String.join(" ", argv)).doesNotContain("tb-size");
    }

    @Test
    void tcg_microvmLinuxWithOneVcpu_getsTheHostTscAndNoApicTimer() throws Exception {
        Monitors monitors = new Monitors(QemuOptions.defaults().withHostTscKhz(2_300_000L));
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).microvm().initrd().build();
        assertThat(monitors.plan(spec).argv())
                .contains("tcg,tb-size=32")
                .endsWith(
                        "-append",
                        "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init "
                                + "noapictimer tsc_early_khz=2300000 tsc=reliable");
        var kvm = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).microvm().initrd().kvm().build();
        assertThat(String.join(" ", monitors.plan(kvm).argv())).doesNotContain("tsc", "noapictimer");
        var smp = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .microvm()
                .initrd()
                .vcpus(2)
                .build();
        assertThat(String.join(" ", monitors.plan(smp).argv())).doesNotContain("tsc", "noapictimer");
        var pc = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).initrd().build();
        assertThat(String.join(" ", monitors.plan(pc).argv())).doesNotContain("tsc", "noapictimer", "pci=off");
    }

    @Test
    void hostTsc_parsesCpuinfo() {
        String cpu = "processor\t: 0\ncpu MHz\t\t: 2300.000\nflags\t\t: fpu tsc constant_tsc tsc_known_freq\n\n"
                + "processor\t: 1\ncpu MHz\t\t: 1.0\n";
        assertThat(HostTsc.parse(cpu)).hasValue(2_300_000L);
        assertThat(HostTsc.parse("cpu MHz\t: 2300.000\nflags\t: fpu constant_tsc\n"))
                .isEmpty();
        assertThat(HostTsc.parse("flags\t: constant_tsc tsc_known_freq\n")).isEmpty();
        assertThat(QemuOptions.forThisHost().tcgAccel()).isEqualTo("tcg,tb-size=32");
    }

    @Test
    void tcgAccel_mustBeTcg() {
        assertThatThrownBy(() -> new QemuOptions("kvm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with 'tcg'");
    }
}
