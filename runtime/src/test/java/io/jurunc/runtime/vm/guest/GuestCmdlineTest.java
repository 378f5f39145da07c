package io.jurunc.runtime.vm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.GuestSetupException;
import io.jurunc.runtime.vm.Kinds;
import io.jurunc.runtime.vm.QemuMachine;
import io.jurunc.runtime.vm.TestSpecs;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Edge cases of the guest command lines beyond the pair table. */
class GuestCmdlineTest {
    private final LinuxGuest linux = new LinuxGuest();

    @Test
    void unikraftVersion_picksTheFormAt0_16_1() {
        assertThat(UnikraftVersion.of(Optional.of("0.16.0")).form()).isEqualTo(UnikraftVersion.Form.LEGACY);
        assertThat(UnikraftVersion.of(Optional.of("0.15.9")).form()).isEqualTo(UnikraftVersion.Form.LEGACY);
        assertThat(UnikraftVersion.of(Optional.of("0.16")).form()).isEqualTo(UnikraftVersion.Form.LEGACY);
        assertThat(UnikraftVersion.of(Optional.of("0.16.1")).form()).isEqualTo(UnikraftVersion.Form.CURRENT);
        assertThat(UnikraftVersion.of(Optional.of("v0.17.0")).form()).isEqualTo(UnikraftVersion.Form.CURRENT);
        assertThat(UnikraftVersion.of(Optional.of("1.0")).form()).isEqualTo(UnikraftVersion.Form.CURRENT);
        assertThat(UnikraftVersion.of(Optional.empty()))
                .isEqualTo(new UnikraftVersion(UnikraftVersion.Form.CURRENT, Optional.empty()));
        UnikraftVersion unknown = UnikraftVersion.of(Optional.of("latest"));
        assertThat(unknown.form()).isEqualTo(UnikraftVersion.Form.CURRENT);
        assertThat(unknown.note()).hasValueSatisfying(n -> assertThat(n).contains("'latest'"));
    }

    @Test
    void unikraft_noNetNoInitrdNoArgs_isJustTheName() {
        assertThat(new UnikraftGuest()
                        .cmdline(TestSpecs.of(Kinds.UNIKRAFT, Kinds.QEMU).build()))
                .isEqualTo("Unikraft");
    }

    @Test
    void unikraft_usesTheRealPrefix() {
        var spec = TestSpecs.of(Kinds.UNIKRAFT, Kinds.QEMU)
                .net(TestSpecs.net("172.16.3.4", 16, "172.16.0.1"))
                .build();
        assertThat(new UnikraftGuest().cmdline(spec)).isEqualTo("Unikraft netdev.ip=172.16.3.4/16:172.16.0.1:8.8.8.8");
    }

    @Test
    void linux_ipWithoutGatewayAndLongHostname() throws Exception {
        String host = "h".repeat(80);
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .initrd()
                .hostname(host)
                .net(TestSpecs.net("10.0.0.5", 8, null))
                .build();
        assertThat(linux.cmdline(spec)).endsWith(" ip=10.0.0.5:::255.0.0.0:" + "h".repeat(64) + ":eth0:off");
    }

    @Test
    void linux_initramfs_neverPutsArgsOrEnvOnTheCmdline() throws Exception {
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .initrd()
                .block()
                .args("/bin/sh", "-c", "echo hi")
                .env("A=1")
                .build();
        assertThat(linux.cmdline(spec)).isEqualTo("console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init");
    }

    @Test
    void linux_block_quotesEmptyArgsAndDebug() throws Exception {
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .block()
                .debug()
                .args("/bin/app", "")
                .build();
        assertThat(linux.cmdline(spec))
                .isEqualTo("console=ttyS0 panic=-1 reboot=t root=/dev/vda rw init=/jurunc/init jurunc.debug=1 "
                        + "-- /bin/app ''");
    }

    @Test
    void linux_block_unrepresentableArgsOrEnv_areTypedErrors() {
        var quote = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).block().args("it's").build();
        assertThatThrownBy(() -> linux.cmdline(quote))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("argument 'it's'");
        var env = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).block().env("A=\"x\"").build();
        assertThatThrownBy(() -> linux.cmdline(env)).hasMessageContaining("environment entry");
        var noEq = TestSpecs.of(Kinds.LINUX, Kinds.QEMU).block().env("JUSTNAME").build();
        assertThatThrownBy(() -> linux.cmdline(noEq)).isInstanceOf(GuestSetupException.class);
    }

    @Test
    void linux_block_cmdlineOverTheKernelLimit_isATypedError() {
        var spec = TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                .block()
                .args(String.join(" ", Collections.nCopies(500, "word")))
                .build();
        assertThatThrownBy(() -> linux.cmdline(spec))
                .isInstanceOf(GuestSetupException.class)
                .hasMessageContaining("over the kernel's limit of 2047");
    }

    @Test
    void rumprun_escapesJsonInValues_andUsesTheBlockMountPoint() {
        var spec = TestSpecs.of(Kinds.RUMPRUN, Kinds.HVT)
                .args("say", "\"hi\"")
                .block(new io.jurunc.runtime.vm.BlockDevice("rootfs", TestSpecs.DISK, "/srv", "ext2"))
                .build();
        assertThat(new RumprunGuest().cmdline(spec))
                .isEqualTo("{\"cmdline\":\"say \\\"hi\\\"\",\"blk\":{\"source\":\"etfs\",\"path\":\"/dev/ld0a\","
                        + "\"fstype\":\"blk\",\"mountpoint\":\"/srv\"}}");
    }

    @Test
    void mirage_withoutGateway_omitsIt() {
        var spec = TestSpecs.of(Kinds.MIRAGE, Kinds.HVT)
                .net(TestSpecs.net("10.1.2.3", 24, null))
                .build();
        assertThat(new MirageGuest().cmdline(spec)).isEqualTo("--ipv4=10.1.2.3/24");
    }

    @Test
    void qemuMachine_deviceNames() {
        assertThat(new QemuMachine("microvm", true).virtio("net")).isEqualTo("virtio-net-device");
        assertThat(QemuMachine.DEFAULT.virtio("blk")).isEqualTo("virtio-blk-pci");
        assertThat(QemuMachine.DEFAULT.virtio("vsock")).isEqualTo("vhost-vsock-pci");
    }
}
