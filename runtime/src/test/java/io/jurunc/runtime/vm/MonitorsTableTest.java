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
    private static final List<String> KVM = List.of("-accel", "kvm", "-cpu", "host");
    private static final List<String> TCG = List.of("-accel", "tcg,tb-size=32");
    private static final List<String> MICROVM = List.of("-M", "microvm,x-option-roms=off,acpi=off");
    private static final List<String> PC = List.of("-M", "pc");
    private static final List<String> KERNEL_INITRD = List.of("-kernel", K, "-initrd", I);
    private static final List<String> NO_NIC = List.of("-nic", "none");
    private static final List<String> TAP_PCI = tap("virtio-net-pci,netdev=net0");
    /** A Linux guest's virtio-serial device with the exit port (its chardev: the sandbox init's socket pair). */
    private static final List<String> SERIAL_MMIO = serial("virtio-serial-device");

    private static final List<String> SERIAL_PCI = serial("virtio-serial-pci");

    private static final String IP_PARAM = "ip=10.4.0.2::10.4.0.1:255.255.255.0:c1:eth0:off";
    /** Mirage's network options, after the image's arguments. */
    private static final List<String> MIRAGE_NET = List.of("--ipv4=10.4.0.2/24", "--ipv4-gateway=10.4.0.1");

    record Case(String name, VmSpec spec, String cmdline, List<String> argv, Map<String, String> files) {
        /** A case whose monitor generates no file. */
        Case(String name, VmSpec spec, String cmdline, List<String> argv) {
            this(name, spec, cmdline, argv, Map.of());
        }

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

    /** QEMU's argv up to its devices: memory, vCPUs, the accelerator and machine parts, the display. */
    @SafeVarargs
    private static List<String> qemu(String memory, int vcpus, List<String>... accelAndMachine) {
        return argv(l(QEMU, "-m", memory, "-smp", Integer.toString(vcpus)), argv(accelAndMachine), DISPLAY);
    }

    /** QEMU's default tap backend and the NIC {@code device} (up to its MAC) on it. */
    private static List<String> tap(String device) {
        return l("-netdev", "tap,id=net0,ifname=tap0_c1,script=no,downscript=no", "-device", device + ",mac=" + MAC);
    }

    /** A raw QEMU drive {@code id} on {@code file} behind the virtio-blk {@code device}. */
    private static List<String> block(String device, String id, Path file) {
        return l(
                "-device",
                device + ",serial=" + id + ",drive=" + id + ",scsi=off",
                "-drive",
                "format=raw,if=none,id=" + id + ",file=" + file);
    }

    private static List<String> serial(String device) {
        return l(
                "-chardev",
                "socket,id=jexit,fd=3",
                "-device",
                device,
                "-device",
                "virtserialport,chardev=jexit,name=io.jurunc.exit");
    }

    private static List<String> firecracker(String... seccompFlag) {
        return argv(l("/usr/bin/firecracker", "--no-api", "--config-file", "/run/jurunc/c1/fc.json"), l(seccompFlag));
    }

    /** Cloud Hypervisor's argv up to its devices. */
    private static List<String> cloudHypervisor(String memory, int cpus, String seccomp) {
        return l(
                "/usr/bin/cloud-hypervisor",
                "--memory",
                "size=" + memory,
                "--cpus",
                "boot=" + cpus,
                "--kernel",
                K,
                "--console",
                "off",
                "--serial",
                "tty",
                "--seccomp",
                seccomp);
    }

    /** A Solo5 tender's argv: its options, the kernel, then the command line's words. */
    private static List<String> solo5(String tender, List<String> options, List<String> words) {
        return argv(l("/usr/bin/solo5-" + tender, "--mem=256"), options, l(K), words);
    }

    /** The Solo5 tap NIC under the manifest name {@code name}. */
    private static List<String> solo5Net(String name) {
        return l("--net:" + name + "=tap0_c1", "--net-mac:" + name + "=" + MAC);
    }

    static Stream<Case> cases() {
        String linuxInitrdNet = "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init " + IP_PARAM;
        String linuxNoPciNet = "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init " + IP_PARAM;
        String linuxNoPci = "console=ttyS0 panic=-1 reboot=t quiet pci=off rdinit=/jurunc/init";
        String linuxPc = "console=ttyS0 panic=-1 reboot=t quiet rdinit=/jurunc/init";
        String linuxBlockArgs = "console=ttyS0 panic=-1 reboot=t quiet root=/dev/vda rw init=/jurunc/init "
                + "PATH=/usr/bin MSG=\"two words\" -- /srv/app --greeting 'hello world'";
        String linuxDebug = "console=ttyS0 panic=-1 reboot=t pci=off rdinit=/jurunc/init jurunc.debug=1";
        String ukCurrent = "Unikraft env.vars=[ A=1 B=2 ] netdev.ip=10.4.0.2/24:10.4.0.1:8.8.8.8 "
                + "vfs.fstab=[ \"initrd0:/:extract:::\" ] -- nginx -c /nginx/conf/nginx.conf";
        String ukLegacy = "Unikraft netdev.ipv4_addr=10.4.0.2 netdev.ipv4_gw_addr=10.4.0.1 "
                + "netdev.ipv4_subnet_mask=255.255.255.0 vfs.rootfs=initrd -- hello";
        String mirageNet = String.join(" ", MIRAGE_NET);
        String mirage = "--hello=world " + mirageNet;
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
        List<String> dataPci = block("virtio-blk-pci", "data", DATA);
        List<String> hermitExit = l("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
        List<String> mewzExit = l("-device", "isa-debug-exit,iobase=0x501,iosize=2");
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
                                qemu("256M", 2, TCG, MICROVM),
                                SANDBOX,
                                KERNEL_INITRD,
                                tap("virtio-net-device,netdev=net0"),
                                SERIAL_MMIO,
                                l("-append", linuxNoPciNet))),
                new Case(
                        "qemu/linux microvm initrd + 9p shares (ro dir, files, rootfs) + net, block boot disk:"
                                + " the writable ones passthrough (the guest's owners), the read-only one none",
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
                                qemu("256M", 1, KVM, MICROVM),
                                KERNEL_INITRD,
                                tap("virtio-net-device,netdev=net0"),
                                block("virtio-blk-device", "rootfs", DISK),
                                l(
                                        "-fsdev",
                                        "local,id=fs0,path=/jurunc/shares/rootfs,security_model=passthrough,multidevs=remap",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs0,mount_tag=rootfs",
                                        "-fsdev",
                                        "local,id=fs1,path=/jurunc/shares/m0,security_model=none,multidevs=remap,readonly=on",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs1,mount_tag=m0",
                                        "-fsdev",
                                        "local,id=fs2,path=/jurunc/shares/files,security_model=passthrough,multidevs=remap",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs2,mount_tag=files"),
                                SERIAL_MMIO,
                                l("-append", linuxNoPciNet))),
                new Case(
                        "qemu/linux microvm initrd + a read-only rootfs share: security_model=none, readonly=on",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .microvm()
                                .initrd()
                                .kvm()
                                .share(SharedDir.directory("rootfs", Path.of("/run/c1/rootfs"), true))
                                .build(),
                        linuxNoPci,
                        argv(
                                qemu("256M", 1, KVM, MICROVM),
                                KERNEL_INITRD,
                                NO_NIC,
                                l(
                                        "-fsdev",
                                        "local,id=fs0,path=/jurunc/shares/rootfs,security_model=none,multidevs=remap,readonly=on",
                                        "-device",
                                        "virtio-9p-device,fsdev=fs0,mount_tag=rootfs"),
                                SERIAL_MMIO,
                                l("-append", linuxNoPci))),
                new Case(
                        "qemu/linux pc initrd + a read-only 9p share: virtio-9p-pci",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU)
                                .initrd()
                                .kvm()
                                .share(SharedDir.directory("m0", Path.of("/srv/data"), true))
                                .build(),
                        linuxPc,
                        argv(
                                qemu("256M", 1, KVM, PC),
                                KERNEL_INITRD,
                                NO_NIC,
                                l(
                                        "-fsdev",
                                        "local,id=fs0,path=/jurunc/shares/m0,security_model=none,multidevs=remap,readonly=on",
                                        "-device",
                                        "virtio-9p-pci,fsdev=fs0,mount_tag=m0"),
                                SERIAL_PCI,
                                l("-append", linuxPc))),
                new Case(
                        "qemu/linux microvm initrd tcg 1 vcpu: TCG-only kernel params appended",
                        TestSpecs.of(Kinds.LINUX, Kinds.QEMU).microvm().initrd().build(),
                        linuxNoPci,
                        argv(
                                qemu("256M", 1, TCG, MICROVM),
                                KERNEL_INITRD,
                                NO_NIC,
                                SERIAL_MMIO,
                                l("-append", linuxNoPci + " noapictimer"))),
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
                                qemu("268M", 1, KVM, PC),
                                l("-kernel", K),
                                NO_NIC,
                                block("virtio-blk-pci", "rootfs", DISK),
                                SERIAL_PCI,
                                l("-append", linuxBlockArgs))),
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
                                qemu("256M", 1, KVM, MICROVM),
                                KERNEL_INITRD,
                                NO_NIC,
                                l("-device", "vhost-vsock-device,id=vhost-vsock-device0,guest-cid=42"),
                                SERIAL_MMIO,
                                l("-append", linuxDebug))),
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
                                qemu("256M", 1, TCG, PC),
                                SANDBOX,
                                KERNEL_INITRD,
                                tap("virtio-net-pci,romfile=,netdev=net0"),
                                l("-device", "vhost-vsock-pci,id=vhost-vsock-pci0,guest-cid=42"),
                                SERIAL_PCI,
                                l("-append", linuxInitrdNet))),
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
                        argv(qemu("256M", 1, KVM), KERNEL_INITRD, TAP_PCI, l("-append", ukCurrent))),
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
                        argv(qemu("256M", 1, TCG), KERNEL_INITRD, TAP_PCI, l("-append", ukLegacy))),
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
                        argv(qemu("256M", 1, TCG), SANDBOX, l("-kernel", K), TAP_PCI, dataPci, l("-append", rump))),
                new Case(
                        "qemu/mirage net block tcg seccomp",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.QEMU)
                                .net()
                                .block(DATA_DEV)
                                .seccomp()
                                .args("--hello=world")
                                .build(),
                        mirage,
                        argv(qemu("256M", 1, TCG), SANDBOX, l("-kernel", K), TAP_PCI, dataPci, l("-append", mirage))),
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
                                qemu("536M", 1, KVM),
                                l("-kernel", K),
                                l(
                                        "-device",
                                        "virtio-net-pci,netdev=net0,disable-legacy=on,disable-modern=off,mac=" + MAC,
                                        "-netdev",
                                        "tap,script=no,downscript=no,id=net0,ifname=tap0_c1"),
                                mewzExit,
                                l("-append", mewz))),
                new Case(
                        "qemu/mewz no net (no -append)",
                        TestSpecs.of(Kinds.MEWZ, Kinds.QEMU)
                                .memory(536_870_912L)
                                .build(),
                        "",
                        argv(qemu("536M", 1, TCG), l("-kernel", K), NO_NIC, mewzExit)),
                new Case(
                        "qemu/hermit net initrd tcg (hermit's TCG cpu model)",
                        TestSpecs.of(Kinds.HERMIT, Kinds.QEMU)
                                .net()
                                .initrd()
                                .args("hello", "world")
                                .build(),
                        hermit,
                        argv(
                                qemu(
                                        "256M",
                                        1,
                                        TCG,
                                        l("-cpu", "qemu64,apic,fsgsbase,fxsr,rdrand,rdtscp,xsave,xsaveopt")),
                                KERNEL_INITRD,
                                tap("virtio-net-pci,netdev=net0,disable-legacy=on"),
                                hermitExit,
                                l("-append", hermit))),
                new Case(
                        "qemu/hermit no net kvm seccomp",
                        TestSpecs.of(Kinds.HERMIT, Kinds.QEMU)
                                .initrd()
                                .kvm()
                                .seccomp()
                                .build(),
                        "",
                        argv(qemu("256M", 1, KVM), SANDBOX, KERNEL_INITRD, NO_NIC, hermitExit)),
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
                        firecracker(),
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
                        firecracker("--no-seccomp"),
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
                        firecracker("--no-seccomp"),
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
                        argv(
                                cloudHypervisor("256M", 2, "true"),
                                l("--net", "tap=tap0_c1,mac=" + MAC),
                                l("--initramfs", I),
                                l("--vsock", "cid=7,socket=/run/vaccel/ch.sock"),
                                l("--cmdline", linuxInitrdNet))),
                new Case(
                        "cloud-hypervisor/linux two disks no-net no-seccomp",
                        TestSpecs.of(Kinds.LINUX, Kinds.CLOUD_HYPERVISOR)
                                .block()
                                .block(DATA_DEV)
                                .kvm()
                                .build(),
                        chBlock,
                        argv(
                                cloudHypervisor("244M", 1, "false"),
                                l("--disk", "path=" + D + ",id=rootfs", "path=" + DATA + ",id=data"),
                                l("--cmdline", chBlock))),
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
                        solo5(
                                "hvt",
                                argv(solo5Net("tap"), l("--block:rootfs=" + D, "--block:data=" + DATA)),
                                List.of(rump.split(" ")))),
                new Case(
                        "hvt/mirage net block",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.HVT)
                                .net()
                                .block(DATA_DEV)
                                .kvm()
                                .args("--hello=world")
                                .build(),
                        mirage,
                        solo5(
                                "hvt",
                                argv(solo5Net("service"), l("--block:storage=" + DATA)),
                                argv(l("--hello=world"), MIRAGE_NET))),
                new Case(
                        "spt/rumprun no net no block",
                        TestSpecs.of(Kinds.RUMPRUN, Kinds.SPT).args("hello").build(),
                        "{\"cmdline\":\"hello\"}",
                        solo5("spt", l(), l("{\"cmdline\":\"hello\"}"))),
                new Case(
                        "spt/mirage no net, 64 MB",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .memory(64_000_000L)
                                .build(),
                        "",
                        l("/usr/bin/solo5-spt", "--mem=64", K)),
                new Case(
                        "spt/mirage net block",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .net()
                                .block(new BlockDevice("storage", DATA, null, null))
                                .build(),
                        mirageNet,
                        solo5("spt", argv(solo5Net("service"), l("--block:storage=" + DATA)), MIRAGE_NET)),
                new Case(
                        "spt/mirage net block, devices named by solo5NetDev/solo5BlkDev",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.SPT)
                                .solo5Devices("service0", "disk1")
                                .net()
                                .block(new BlockDevice("storage", DATA, null, null))
                                .build(),
                        mirageNet,
                        solo5("spt", argv(solo5Net("service0"), l("--block:disk1=" + DATA)), MIRAGE_NET)),
                new Case(
                        "hvt/mirage net, only the net device named by solo5NetDev",
                        TestSpecs.of(Kinds.MIRAGE, Kinds.HVT)
                                .solo5Devices("net0", null)
                                .net()
                                .kvm()
                                .build(),
                        mirageNet,
                        solo5("hvt", solo5Net("net0"), MIRAGE_NET)));
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
