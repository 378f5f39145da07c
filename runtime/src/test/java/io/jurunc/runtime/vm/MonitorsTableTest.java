package io.jurunc.runtime.vm;

import static io.jurunc.runtime.vm.TestSpecs.DISK;
import static io.jurunc.runtime.vm.TestSpecs.INITRD;
import static io.jurunc.runtime.vm.TestSpecs.KERNEL;
import static io.jurunc.runtime.vm.TestSpecs.MAC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported guest × monitor pair: the exact argv, config file and kernel command line
 * against the reference formats (urunc §3.3/§3.4, [newer] forms), with net/no-net, block/initrd,
 * seccomp on/off, KVM/TCG and vsock variants.
 */
class MonitorsTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String K = KERNEL.toString();
    private static final String I = INITRD.toString();
    private static final String D = DISK.toString();
    private static final Path DATA = Path.of("/run/c1/data.img");
    private static final BlockDevice DATA_DEV = new BlockDevice("data", DATA, null, null);
    private static final String QEMU = "/usr/bin/qemu-system-x86_64";
    private static final List<String> DISPLAY = List.of(
            "-display",
            "none",
            "-vga",
            "none",
            "-serial",
            "stdio",
            "-monitor",
            "none",
            "-no-user-config",
            "-nodefaults",
            "-no-reboot");
    private static final List<String> SANDBOX =
            List.of("-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    private static final List<String> TAP_PCI = List.of(
            "-netdev",
            "tap,id=net0,ifname=tap0_c1,script=no,downscript=no",
            "-device",
            "virtio-net-pci,netdev=net0,mac=" + MAC);
    /** A Linux guest's virtio-serial device with the exit port (its chardev: the sandbox init's socket pair). */
    private static final List<String> SERIAL_MMIO = List.of(
            "-chardev",
            "socket,id=jexit,fd=3",
            "-device",
            "virtio-serial-device",
            "-device",
            "virtserialport,chardev=jexit,name=io.jurunc.exit");

    private static final List<String> SERIAL_PCI = List.of(
            "-chardev",
            "socket,id=jexit,fd=3",
            "-device",
            "virtio-serial-pci",
            "-device",
            "virtserialport,chardev=jexit,name=io.jurunc.exit");

    private static final String IP_PARAM = "ip=10.4.0.2::10.4.0.1:255.255.255.0:c1:eth0:off";

    record Case(String name, VmSpec spec, String cmdline, List<String> argv, Map<String, String> files) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SafeVarargs
    private static List<String> argv(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }

    private static List<String> l(String... s) {
        return List.of(s);
    }

    static Stream<Case> cases() {
        String linuxInitrdNet = "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init " + IP_PARAM;
        String linuxNoPciNet = "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init " + IP_PARAM;
        String linuxNoPci = "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init";
        String linuxBlockArgs = "console=ttyS0 panic=-1 reboot=t quiet root=/dev/vda rw init=/jurunc/init "
                + "PATH=/usr/bin MSG=\"two words\" -- /srv/app --greeting 'hello world'";
        String linuxDebug = "console=ttyS0 panic=-1 reboot=t pci=off rdinit=/jurunc/init jurunc.debug=1";
        String ukCurrent = "Unikraft env.vars=[ A=1 B=2 ] netdev.ip=10.4.0.2/24:10.4.0.1:8.8.8.8 "
                + "vfs.fstab=[ \"initrd0:/:extract:::\" ] -- nginx -c /nginx/conf/nginx.conf";
        String ukLegacy = "Unikraft netdev.ipv4_addr=10.4.0.2 netdev.ipv4_gw_addr=10.4.0.1 "
                + "netdev.ipv4_subnet_mask=255.255.255.0 vfs.rootfs=initrd -- hello";
        String mirage = "--hello=world --ipv4=10.4.0.2/24 --ipv4-gateway=10.4.0.1";
        String mewz = "ip=10.4.0.2/24 gateway=10.4.0.1";
        String hermit = "ip=10.4.0.2/24 gateway=10.4.0.1 -- hello world";
        String fcLinux = "console=ttyS0 panic=-1 reboot=t quiet pci=off root=/dev/vda rw init=/jurunc/init "
                + IP_PARAM
                + " K=V -- /app";
        String ukFc = "Unikraft vfs.fstab=[ \"initrd0:/:extract:::\" ] -- hello";
        String chBlock = "console=ttyS0 panic=-1 reboot=t quiet root=/dev/vda rw init=/jurunc/init";
        String rump = "{\"cmdline\":\"hello world\",\"env\":\"A=1\",\"env\":\"B=2\","
                + "\"net\":{\"if\":\"ukvmif0\",\"cloner\":\"True\",\"type\":\"inet\",\"method\":\"static\","
                + "\"addr\":\"10.4.0.2\",\"mask\":\"1\",\"gw\":\"10.4.0.1\"},"
                + "\"blk\":{\"source\":\"etfs\",\"path\":\"/dev/ld0a\",\"fstype\":\"blk\",\"mountpoint\":\"/data\"}}";
        return Stream.of(
                // ---------------- QEMU ----------------
                new Case(
                        "qemu/linux microvm initrd net tcg seccomp 2 vcpus",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .microvm()
                                .initrd()
                                .net()
                                .seccomp()
                                .vcpus(2)
                                .args("/bin/echo", "hi")
                                .build(),
                        linuxNoPciNet,
                        argv(
                                l(
                                        QEMU,
                                        "-m",
                                        "256M",
                                        "-smp",
                                        "2",
                                        "-accel",
                                        "tcg,tb-size=32",
                                        "-M",
                                        "microvm,x-option-roms=off,acpi=off"),
                                DISPLAY,
                                SANDBOX,
                                l("-kernel", K, "-initrd", I),
                                l(
                                        "-netdev",
                                        "tap,id=net0,ifname=tap0_c1,script=no,downscript=no",
                                        "-device",
                                        "virtio-net-device,netdev=net0,mac=" + MAC),
                                SERIAL_MMIO,
                                l("-append", linuxNoPciNet)),
                        Map.of()),
                new Case(
                        "qemu/linux microvm initrd + 9p shares (ro dir, files, rootfs) + net, block boot disk",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .microvm()
                                .initrd()
                                .net()
                                .block()
                                .kvm()
                                .share(SharedDir.directory("rootfs", Path.of("/run/c1/rootfs"), false))
                                .share(SharedDir.directory("m0", Path.of("/srv/data,1"), true))
                                .share(new SharedDir(
                                        "files",
                                        Path.of("/jurunc/shares/files"),
                                        false,
                                        List.of(new SharedDir.Bind(
                                                Path.of("/var/lib/c/hosts"),
                                                Path.of("/jurunc/shares/files/0"),
                                                false))))
                                .build(),
                        linuxNoPciNet,
                        argv(
                                l(
                                        QEMU,
                                        "-m",
                                        "256M",
                                        "-smp",
                                        "1",
                                        "-accel",
                                        "kvm",
                                        "-cpu",
                                        "host",
                                        "-M",
                                        "microvm,x-option-roms=off,acpi=off"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I),
                                l(
                                        "-netdev",
                                        "tap,id=net0,ifname=tap0_c1,script=no,downscript=no",
                                        "-device",
                                        "virtio-net-device,netdev=net0,mac=" + MAC),
                                l(
                                        "-device",
                                        "virtio-blk-device,serial=rootfs,drive=rootfs,scsi=off",
                                        "-drive",
                                        "format=raw,if=none,id=rootfs,file=" + D),
                                l(
                                        "-fsdev",
                                        "local,id=fs0,path=/jurunc/shares/rootfs,security_model=none,multidevs=remap",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs0,mount_tag=rootfs",
                                        "-fsdev",
                                        "local,id=fs1,path=/jurunc/shares/m0,security_model=none,multidevs=remap,readonly=on",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs1,mount_tag=m0",
                                        "-fsdev",
                                        "local,id=fs2,path=/jurunc/shares/files,security_model=none,multidevs=remap",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs2,mount_tag=files"),
                                SERIAL_MMIO,
                                l("-append", linuxNoPciNet)),
                        Map.of()),
                new Case(
                        "qemu/linux pc initrd + a read-only 9p share: virtio-9p-pci",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .initrd()
                                .kvm()
                                .share(SharedDir.directory("m0", Path.of("/srv/data"), true))
                                .build(),
                        "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init",
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "kvm", "-cpu", "host", "-M", "pc"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I, "-nic", "none"),
                                l(
                                        "-fsdev",
                                        "local,id=fs0,path=/jurunc/shares/m0,security_model=none,multidevs=remap,readonly=on",
                                        "-device",
                                        "virtio-9p-pci,fsdev=fs0,mount_tag=m0"),
                                SERIAL_PCI,
                                l("-append", "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init")),
                        Map.of()),
                new Case(
                        "qemu/linux microvm initrd tcg 1 vcpu: TCG-only kernel params appended",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU).microvm().initrd().build(),
                        linuxNoPci,
                        argv(
                                l(
                                        QEMU,
                                        "-m",
                                        "256M",
                                        "-smp",
                                        "1",
                                        "-accel",
                                        "tcg,tb-size=32",
                                        "-M",
                                        "microvm,x-option-roms=off,acpi=off"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I, "-nic", "none"),
                                SERIAL_MMIO,
                                l("-append", linuxNoPci + " noapictimer")),
                        Map.of()),
                new Case(
                        "qemu/linux pc block no-net kvm, args and env on the cmdline",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .block()
                                .kvm()
                                .memory(268_435_456L)
                                .args("/srv/app", "--greeting", "hello world")
                                .env("PATH=/usr/bin", "MSG=two words")
                                .build(),
                        linuxBlockArgs,
                        argv(
                                l(QEMU, "-m", "268M", "-smp", "1", "-accel", "kvm", "-cpu", "host", "-M", "pc"),
                                DISPLAY,
                                l("-kernel", K, "-nic", "none"),
                                l(
                                        "-device",
                                        "virtio-blk-pci,serial=rootfs,drive=rootfs,scsi=off",
                                        "-drive",
                                        "format=raw,if=none,id=rootfs,file=" + D),
                                SERIAL_PCI,
                                l("-append", linuxBlockArgs)),
                        Map.of()),
                new Case(
                        "qemu/linux microvm initrd debug vsock kvm",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .microvm()
                                .initrd()
                                .debug()
                                .vsock()
                                .kvm()
                                .build(),
                        linuxDebug,
                        argv(
                                l(
                                        QEMU,
                                        "-m",
                                        "256M",
                                        "-smp",
                                        "1",
                                        "-accel",
                                        "kvm",
                                        "-cpu",
                                        "host",
                                        "-M",
                                        "microvm,x-option-roms=off,acpi=off"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I, "-nic", "none"),
                                l("-device", "vhost-vsock-device,id=vhost-vsock-device0,guest-cid=42"),
                                SERIAL_MMIO,
                                l("-append", linuxDebug)),
                        Map.of()),
                new Case(
                        "qemu/linux pc initrd net vsock tcg seccomp",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .initrd()
                                .net()
                                .vsock()
                                .seccomp()
                                .build(),
                        linuxInitrdNet,
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "tcg,tb-size=32", "-M", "pc"),
                                DISPLAY,
                                SANDBOX,
                                l("-kernel", K, "-initrd", I),
                                l(
                                        "-netdev",
                                        "tap,id=net0,ifname=tap0_c1,script=no,downscript=no",
                                        "-device",
                                        "virtio-net-pci,romfile=,netdev=net0,mac=" + MAC),
                                l("-device", "vhost-vsock-pci,id=vhost-vsock-pci0,guest-cid=42"),
                                SERIAL_PCI,
                                l("-append", linuxInitrdNet)),
                        Map.of()),
                new Case(
                        "qemu/unikraft 0.17.0 (current form) net initrd env kvm",
                        TestSpecs.of(Kinds.UNIKRAFT, Kinds.QEMU)
                                .version("0.17.0")
                                .net()
                                .initrd()
                                .kvm()
                                .args("nginx", "-c", "/nginx/conf/nginx.conf")
                                .env("A=1", "B=2")
                                .build(),
                        ukCurrent,
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "kvm", "-cpu", "host"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I),
                                TAP_PCI,
                                l("-append", ukCurrent)),
                        Map.of()),
                new Case(
                        "qemu/unikraft 0.15.0 (legacy form, env dropped) net initrd tcg",
                        TestSpecs.of(Kinds.UNIKRAFT, Kinds.QEMU)
                                .version("0.15.0")
                                .net()
                                .initrd()
                                .args("hello")
                                .env("A=1")
                                .build(),
                        ukLegacy,
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "tcg,tb-size=32"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I),
                                TAP_PCI,
                                l("-append", ukLegacy)),
                        Map.of()),
                new Case(
                        "qemu/rumprun (Solo5 virtio) net block tcg seccomp",
                        TestSpecs.of(Kinds.RUMPRUN, Kinds.QEMU)
                                .net()
                                .block(DATA_DEV)
                                .seccomp()
                                .args("hello", "world")
                                .env("A=1", "B=2")
                                .build(),
                        rump,
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "tcg,tb-size=32"),
                                DISPLAY,
                                SANDBOX,
                                l("-kernel", K),
                                TAP_PCI,
                                l(
                                        "-device",
                                        "virtio-blk-pci,serial=data,drive=data,scsi=off",
                                        "-drive",
                                        "format=raw,if=none,id=data,file=" + DATA),
                                l("-append", rump)),
                        Map.of()),
                new Case(
                        "qemu/mirage net block tcg seccomp",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.QEMU)
                                .net()
                                .block(DATA_DEV)
                                .seccomp()
                                .args("--hello=world")
                                .build(),
                        mirage,
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "tcg,tb-size=32"),
                                DISPLAY,
                                SANDBOX,
                                l("-kernel", K),
                                TAP_PCI,
                                l(
                                        "-device",
                                        "virtio-blk-pci,serial=data,drive=data,scsi=off",
                                        "-drive",
                                        "format=raw,if=none,id=data,file=" + DATA),
                                l("-append", mirage)),
                        Map.of()),
                new Case(
                        "qemu/mewz net kvm 512 MiB",
                        TestSpecs.of(Kinds.MEWZ, Kinds.QEMU)
                                .net()
                                .kvm()
                                .memory(536_870_912L)
                                .args("ignored")
                                .build(),
                        mewz,
                        argv(
                                l(QEMU, "-m", "536M", "-smp", "1", "-accel", "kvm", "-cpu", "host"),
                                DISPLAY,
                                l("-kernel", K),
                                l(
                                        "-device",
                                        "virtio-net-pci,netdev=net0,disable-legacy=on,disable-modern=off,mac=" + MAC,
                                        "-netdev",
                                        "tap,script=no,downscript=no,id=net0,ifname=tap0_c1"),
                                l("-device", "isa-debug-exit,iobase=0x501,iosize=2"),
                                l("-append", mewz)),
                        Map.of()),
                new Case(
                        "qemu/mewz no net (no -append)",
                        TestSpecs.of(Kinds.MEWZ, Kinds.QEMU)
                                .memory(536_870_912L)
                                .build(),
                        "",
                        argv(
                                l(QEMU, "-m", "536M", "-smp", "1", "-accel", "tcg,tb-size=32"),
                                DISPLAY,
                                l("-kernel", K, "-nic", "none"),
                                l("-device", "isa-debug-exit,iobase=0x501,iosize=2")),
                        Map.of()),
                new Case(
                        "qemu/hermit net initrd tcg (hermit's TCG cpu model)",
                        TestSpecs.of(Kinds.HERMIT, Kinds.QEMU)
                                .net()
                                .initrd()
                                .args("hello", "world")
                                .build(),
                        hermit,
                        argv(
                                l(
                                        QEMU,
                                        "-m",
                                        "256M",
                                        "-smp",
                                        "1",
                                        "-accel",
                                        "tcg,tb-size=32",
                                        "-cpu",
                                        "qemu64,apic,fsgsbase,fxsr,rdrand,rdtscp,xsave,xsaveopt"),
                                DISPLAY,
                                l("-kernel", K, "-initrd", I),
                                l(
                                        "-netdev",
                                        "tap,id=net0,ifname=tap0_c1,script=no,downscript=no",
                                        "-device",
                                        "virtio-net-pci,netdev=net0,disable-legacy=on,mac=" + MAC),
                                l("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"),
                                l("-append", hermit)),
                        Map.of()),
                new Case(
                        "qemu/hermit no net kvm seccomp",
                        TestSpecs.of(Kinds.HERMIT, Kinds.QEMU)
                                .initrd()
                                .kvm()
                                .seccomp()
                                .build(),
                        "",
                        argv(
                                l(QEMU, "-m", "256M", "-smp", "1", "-accel", "kvm", "-cpu", "host"),
                                DISPLAY,
                                SANDBOX,
                                l("-kernel", K, "-initrd", I, "-nic", "none"),
                                l("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04")),
                        Map.of()),
                // ---------------- Firecracker ----------------
                new Case(
                        "firecracker/linux block net seccomp vsock",
                        TestSpecs.of(Kinds.LINUX, Kinds.FIRECRACKER)
                                .block()
                                .net()
                                .seccomp()
                                .kvm()
                                .vsock()
                                .memory(268_435_456L)
                                .vcpus(2)
                                .args("/app")
                                .env("K=V")
                                .build(),
                        fcLinux,
                        l("/usr/bin/firecracker", "--no-api", "--config-file", "/run/jurunc/c1/fc.json"),
                        Map.of("/run/jurunc/c1/fc.json", """
                {"boot-source":{"kernel_image_path":"%s","boot_args":"%s"},
                 "machine-config":{"vcpu_count":2,"mem_size_mib":256,"smt":false,"track_dirty_pages":false},
                 "drives":[{"drive_id":"FCrootfs","is_read_only":false,"is_root_device":true,"path_on_host":"%s"}],
                 "network-interfaces":[{"iface_id":"net1","guest_mac":"%s","host_dev_name":"tap0_c1"}],
                 "vsock":{"guest_cid":42,"uds_path":"/run/jurunc/c1/vaccel.sock","vsock_id":"root"}}
                """.formatted(K, fcLinux, D, MAC))),
                new Case(
                        "firecracker/unikraft initrd no-net no-seccomp (244 MiB from 256 MB)",
                        TestSpecs.of(Kinds.UNIKRAFT, Kinds.FIRECRACKER)
                                .initrd()
                                .kvm()
                                .args("hello")
                                .build(),
                        ukFc,
                        l(
                                "/usr/bin/firecracker",
                                "--no-api",
                                "--config-file",
                                "/run/jurunc/c1/fc.json",
                                "--no-seccomp"),
                        Map.of("/run/jurunc/c1/fc.json", """
                {"boot-source":{"kernel_image_path":"%s","boot_args":"%s","initrd_path":"%s"},
                 "machine-config":{"vcpu_count":1,"mem_size_mib":244,"smt":false,"track_dirty_pages":false}}
                """.formatted(K, ukFc.replace("\"", "\\\""), I))),
                new Case(
                        "firecracker/linux initrd net, vsock with its own socket",
                        TestSpecs.of(Kinds.LINUX, Kinds.FIRECRACKER)
                                .initrd()
                                .net()
                                .kvm()
                                .vsock(new Vsock(9, Path.of("/run/vaccel/fc.sock")))
                                .build(),
                        linuxNoPciNet,
                        l(
                                "/usr/bin/firecracker",
                                "--no-api",
                                "--config-file",
                                "/run/jurunc/c1/fc.json",
                                "--no-seccomp"),
                        Map.of("/run/jurunc/c1/fc.json", """
                {"boot-source":{"kernel_image_path":"%s","boot_args":"%s","initrd_path":"%s"},
                 "machine-config":{"vcpu_count":1,"mem_size_mib":244,"smt":false,"track_dirty_pages":false},
                 "network-interfaces":[{"iface_id":"net1","guest_mac":"%s","host_dev_name":"tap0_c1"}],
                 "vsock":{"guest_cid":9,"uds_path":"/run/vaccel/fc.sock","vsock_id":"root"}}
                """.formatted(K, linuxNoPciNet, I, MAC))),
                // ---------------- Cloud Hypervisor ----------------
                new Case(
                        "cloud-hypervisor/linux initrd net vsock seccomp",
                        TestSpecs.of(Kinds.LINUX, Kinds.CLOUD_HYPERVISOR)
                                .initrd()
                                .net()
                                .kvm()
                                .seccomp()
                                .vcpus(2)
                                .memory(268_435_456L)
                                .vsock(new Vsock(7, Path.of("/run/vaccel/ch.sock")))
                                .build(),
                        linuxInitrdNet,
                        l(
                                "/usr/bin/cloud-hypervisor",
                                "--memory",
                                "size=256M",
                                "--cpus",
                                "boot=2",
                                "--kernel",
                                K,
                                "--console",
                                "off",
                                "--serial",
                                "tty",
                                "--seccomp",
                                "true",
                                "--net",
                                "tap=tap0_c1,mac=" + MAC,
                                "--initramfs",
                                I,
                                "--vsock",
                                "cid=7,socket=/run/vaccel/ch.sock",
                                "--cmdline",
                                linuxInitrdNet),
                        Map.of()),
                new Case(
                        "cloud-hypervisor/linux two disks no-net no-seccomp",
                        TestSpecs.of(Kinds.LINUX, Kinds.CLOUD_HYPERVISOR)
                                .block()
                                .block(DATA_DEV)
                                .kvm()
                                .build(),
                        chBlock,
                        l(
                                "/usr/bin/cloud-hypervisor",
                                "--memory",
                                "size=244M",
                                "--cpus",
                                "boot=1",
                                "--kernel",
                                K,
                                "--console",
                                "off",
                                "--serial",
                                "tty",
                                "--seccomp",
                                "false",
                                "--disk",
                                "path=" + D + ",id=rootfs",
                                "path=" + DATA + ",id=data",
                                "--cmdline",
                                chBlock),
                        Map.of()),
                // ---------------- Solo5 ----------------
                new Case(
                        "hvt/rumprun net two blocks env",
                        TestSpecs.of(Kinds.RUMPRUN, Kinds.HVT)
                                .net()
                                .block()
                                .block(DATA_DEV)
                                .kvm()
                                .args("hello", "world")
                                .env("A=1", "B=2")
                                .build(),
                        rump,
                        argv(
                                l(
                                        "/usr/bin/solo5-hvt",
                                        "--mem=256",
                                        "--net:tap=tap0_c1",
                                        "--net-mac:tap=" + MAC,
                                        "--block:rootfs=" + D,
                                        "--block:data=" + DATA,
                                        K),
                                List.of(rump.split(" "))),
                        Map.of()),
                new Case(
                        "hvt/mirage net block",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.HVT)
                                .net()
                                .block(DATA_DEV)
                                .kvm()
                                .args("--hello=world")
                                .build(),
                        mirage,
                        l(
                                "/usr/bin/solo5-hvt",
                                "--mem=256",
                                "--net:service=tap0_c1",
                                "--net-mac:service=" + MAC,
                                "--block:storage=" + DATA,
                                K,
                                "--hello=world",
                                "--ipv4=10.4.0.2/24",
                                "--ipv4-gateway=10.4.0.1"),
                        Map.of()),
                new Case(
                        "spt/rumprun no net no block",
                        TestSpecs.of(Kinds.RUMPRUN, Kinds.SPT).args("hello").build(),
                        "{\"cmdline\":\"hello\"}",
                        l("/usr/bin/solo5-spt", "--mem=256", K, "{\"cmdline\":\"hello\"}"),
                        Map.of()),
                new Case(
                        "spt/mirage no net, 64 MB",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .memory(64_000_000L)
                                .build(),
                        "",
                        l("/usr/bin/solo5-spt", "--mem=64", K),
                        Map.of()),
                new Case(
                        "spt/mirage net block",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .net()
                                .block(new BlockDevice("storage", DATA, null, null))
                                .build(),
                        "--ipv4=10.4.0.2/24 --ipv4-gateway=10.4.0.1",
                        l(
                                "/usr/bin/solo5-spt",
                                "--mem=256",
                                "--net:service=tap0_c1",
                                "--net-mac:service=" + MAC,
                                "--block:storage=" + DATA,
                                K,
                                "--ipv4=10.4.0.2/24",
                                "--ipv4-gateway=10.4.0.1"),
                        Map.of()),
                new Case(
                        "spt/mirage net block, devices named by solo5NetDev/solo5BlkDev",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .solo5Devices("service0", "disk1")
                                .net()
                                .block(new BlockDevice("storage", DATA, null, null))
                                .build(),
                        "--ipv4=10.4.0.2/24 --ipv4-gateway=10.4.0.1",
                        l(
                                "/usr/bin/solo5-spt",
                                "--mem=256",
                                "--net:service0=tap0_c1",
                                "--net-mac:service0=" + MAC,
                                "--block:disk1=" + DATA,
                                K,
                                "--ipv4=10.4.0.2/24",
                                "--ipv4-gateway=10.4.0.1"),
                        Map.of()),
                new Case(
                        "hvt/mirage net, only the net device named by solo5NetDev",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.HVT)
                                .solo5Devices("net0", null)
                                .net()
                                .kvm()
                                .build(),
                        "--ipv4=10.4.0.2/24 --ipv4-gateway=10.4.0.1",
                        l(
                                "/usr/bin/solo5-hvt",
                                "--mem=256",
                                "--net:net0=tap0_c1",
                                "--net-mac:net0=" + MAC,
                                K,
                                "--ipv4=10.4.0.2/24",
                                "--ipv4-gateway=10.4.0.1"),
                        Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plan_matchesReferenceFormat(Case c) throws Exception {
        assertThat(c.spec().guest().cmdline(c.spec())).isEqualTo(c.cmdline());

        MonitorInvocation inv = new Monitors(QemuOptions.defaults()).plan(c.spec());

        assertThat(inv.argv()).containsExactlyElementsOf(c.argv());
        assertThat(inv.files()).hasSize(c.files().size());
        for (MonitorInvocation.GeneratedFile f : inv.files()) {
            String expected = c.files().get(f.path().toString());
            assertThat(expected).as("unexpected generated file %s", f.path()).isNotNull();
            assertThat(JSON.readTree(f.content())).isEqualTo(JSON.readTree(expected));
        }
    }

    @Test
    void cases_coverEverySupportedPair() {
        Set<String> covered = new java.util.HashSet<>();
        cases().forEach(c ->
                covered.add(c.spec().guest().key() + "/" + c.spec().monitor().key()));
        for (MonitorType m : MonitorType.all()) {
            for (GuestType g : GuestType.all()) {
                if (SupportMatrix.supports(g, m)) {
                    assertThat(covered)
                            .as("table covers %s on %s", g.key(), m.key())
                            .contains(g.key() + "/" + m.key());
                }
            }
        }
        assertThat(covered).hasSize(13);
    }

    @Test
    void theMonitorsOwnInvocation_isWhatPlanGivesForAValidSpec() throws Exception {
        VmSpec spec =
                TestSpecs.of(Kinds.LINUX, Kinds.FIRECRACKER).initrd().net().build();
        assertThat(spec.monitor().invocation(spec, spec.guest().cmdline(spec), QemuOptions.defaults()))
                .isEqualTo(new Monitors(QemuOptions.defaults()).plan(spec));
    }
}
