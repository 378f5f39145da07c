package io.jurunc.bench.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link BareQemuArgv}. */
class BareQemuArgvTest {
    private static final List<String> RECORDED = List.of(
            "/usr/bin/qemu-system-x86_64",
            "-m",
            "256M",
            "-accel",
            "tcg",
            "-M",
            "microvm,x-option-roms=off,acpi=off",
            "-kernel",
            "/kit/vmlinux",
            "-initrd",
            "/state/c1/initramfs.cpio",
            "-netdev",
            "tap,id=net0,ifname=tap_c1,script=no,downscript=no",
            "-device",
            "virtio-net-device,netdev=net0,mac=02:42:0a:00:00:02",
            "-append",
            "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init ip=10.1.2.3::10.1.2.1:255.255.255.0:c1:eth0:off");

    @Test
    void rewrite_keepsOptionsAndRetargetsFilesTapAndAddress() throws Exception {
        List<String> out = BareQemuArgv.rewrite(
                RECORDED, "tap0", "10.9.9.2", "10.9.9.1", Path.of("/w/kernel"), Path.of("/w/initrd"));
        assertThat(out).hasSameSizeAs(RECORDED);
        assertThat(out).containsSubsequence("-kernel", "/w/kernel", "-initrd", "/w/initrd");
        assertThat(out)
                .contains(
                        "tap,id=net0,ifname=tap0,script=no,downscript=no",
                        "microvm,x-option-roms=off,acpi=off",
                        "virtio-net-device,netdev=net0,mac=02:42:0a:00:00:02");
        assertThat(out.getLast())
                .isEqualTo("console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init "
                        + "ip=10.9.9.2::10.9.9.1:255.255.255.0:bench-qemu:eth0:off jurunc.timestamps=1");
    }

    @Test
    void rewrite_movesTheQmpSocketAndServesASharedRootfsFromTheCopy() throws Exception {
        List<String> recorded = new java.util.ArrayList<>(RECORDED);
        recorded.addAll(List.of(
                "-qmp",
                "unix:/run/containerd/runc/ns/c1/qmp/sock,server=on,wait=off",
                "-fsdev",
                "local,id=fs0,path=/jurunc/shares/rootfs,security_model=none,multidevs=remap",
                "-device",
                "virtio-9p-device,fsdev=fs0,mount_tag=rootfs"));
        List<String> out = BareQemuArgv.rewrite(
                recorded, "tap0", "10.9.9.2", "10.9.9.1", Path.of("/w/kernel"), Path.of("/w/initrd"));
        assertThat(out)
                .containsSubsequence("-qmp", "unix:/w/qmp.sock,server=on,wait=off")
                .containsSubsequence("-fsdev", "local,id=fs0,path=/w/rootfs,security_model=none,multidevs=remap");
    }

    @Test
    void rewrite_refusesAShareItCannotServe() {
        List<String> recorded = new java.util.ArrayList<>(RECORDED);
        recorded.addAll(List.of("-fsdev", "local,id=fs1,path=/jurunc/shares/s1,security_model=none"));
        assertThatThrownBy(() -> BareQemuArgv.rewrite(recorded, "t", "1", "2", Path.of("/w/kernel"), Path.of("/w/i")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("only a shared rootfs");
    }

    @Test
    void rewrite_refusesWhatIsNotAQemuCommandLine() {
        assertThatThrownBy(() -> BareQemuArgv.rewrite(
                        List.of("firecracker", "--no-api"), "t", "1", "2", Path.of("k"), Path.of("i")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("not a QEMU");
        assertThatThrownBy(() -> BareQemuArgv.rewrite(
                        List.of("qemu-system-x86_64", "-kernel", "k"), "t", "1", "2", Path.of("k"), Path.of("i")))
                .isInstanceOf(BenchInputException.class)
                .hasMessageContaining("-append");
    }

    @Test
    void rewrite_givesTheExitPortAFileAndMovesExecSockets() throws Exception {
        List<String> recorded = new java.util.ArrayList<>(RECORDED);
        recorded.addAll(List.of(
                "-chardev",
                "socket,id=jexit,fd=3",
                "-chardev",
                "socket,id=jexec0,path=/run/containerd/runc/ns/c1/qmp/exec0,server=on,wait=off"));
        List<String> out = BareQemuArgv.rewrite(
                recorded, "tap0", "10.9.9.2", "10.9.9.1", Path.of("/w/kernel"), Path.of("/w/initrd"));
        assertThat(out)
                .containsSubsequence("-chardev", "file,id=jexit,path=/w/jexit.out")
                .containsSubsequence("-chardev", "socket,id=jexec0,path=/w/jexec0.sock,server=on,wait=off");
    }
}
