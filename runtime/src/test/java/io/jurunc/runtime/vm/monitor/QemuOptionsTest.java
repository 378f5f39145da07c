package io.jurunc.runtime.vm.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.TestSpecs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tests for the host-wide {@link QemuOptions}. */
class QemuOptionsTest {
  @Test
  void tcgOptions_dataPathAndVhost_reachTheArgv() throws Exception {
    Monitors monitors =
        new Monitors(new QemuOptions("tcg,tb-size=64", true, Path.of("/opt/qemu/share")));
    var argv =
        monitors
            .plan(TestSpecs.of(GuestType.LINUX, MonitorType.QEMU).microvm().initrd().net().build())
            .argv();
    assertThat(argv)
        .containsSequence("-smp", "1", "-L", "/opt/qemu/share", "-accel", "tcg,tb-size=64")
        .contains("tap,id=net0,ifname=tap0_c1,script=no,downscript=no,vhost=on");
  }

  @Test
  void kvm_ignoresTheTcgOptions() throws Exception {
    Monitors monitors = new Monitors(new QemuOptions("tcg,tb-size=64"));
    var argv =
        monitors.plan(TestSpecs.of(GuestType.LINUX, MonitorType.QEMU).initrd().kvm().build()).argv();
    assertThat(argv).containsSequence("-accel", "kvm", "-cpu", "host").doesNotContain("-L");
    assertThat(String.join(" ", argv)).doesNotContain("tb-size");
  }

  @Test
  void tcgAccel_mustBeTcg() {
    assertThatThrownBy(() -> new QemuOptions("kvm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with 'tcg'");
  }
}
