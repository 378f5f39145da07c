package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.MountException;
import io.jurunc.runtime.vm.QemuMachine;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.Vsock;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's argv, in this order:
 *
 * <pre>
 * qemu-system-x86_64 -m &lt;MB&gt;M -smp &lt;N&gt; [-L &lt;data_path&gt;]
 *   (-accel kvm -cpu host | -accel tcg[,opts] [-cpu &lt;guest TCG model&gt;]) [-M &lt;machine&gt;]
 *   -display none -vga none -serial stdio -monitor none -no-user-config -nodefaults -no-reboot
 *   [-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny]
 *   -kernel &lt;k&gt; [-initrd &lt;i&gt;]
 *   (-nic none | -netdev tap,id=net0,ifname=&lt;tap&gt;,script=no,downscript=no[,vhost=on]
 *                -device virtio-net-(pci[,romfile=]|device),netdev=net0,mac=&lt;mac&gt; | guest net fragment)
 *   [-device virtio-blk-(pci|device),serial=&lt;id&gt;,drive=&lt;id&gt;,scsi=off
 *    -drive format=raw,if=none,id=&lt;id&gt;,file=&lt;path&gt;]...
 *   [-fsdev local,id=fs&lt;i&gt;,path=&lt;share&gt;,security_model=(passthrough|none),multidevs=remap[,readonly=on]
 *    -device virtio-9p-(pci|device),fsdev=fs&lt;i&gt;,mount_tag=&lt;tag&gt;]...
 *   [-device vhost-vsock-(pci|device),id=vhost-vsock-(pci|device)0,guest-cid=&lt;cid&gt;]
 *   [guest extra] [-append &lt;cmdline&gt;[ &lt;guest's TCG-only kernel params&gt;]]
 * </pre>
 *
 * Memory is decimal MB ({@code bytes / 1_000_000}) as in urunc; QEMU reads the {@code M} suffix as
 * MiB. The {@code -append} value is one argv element. QEMU runs under KVM or, without it, TCG; it
 * loads an initrd, has vhost-vsock, vhost-net, virtio-9p and virtio-serial, and a PCI bus unless the
 * guest boots on a virtio-mmio machine (microvm), which has {@value #MICROVM_TRANSPORTS} transports.
 */
public final class QemuMonitor implements MonitorType {
    /** virtio-mmio transports of QEMU's microvm machine (QEMU 7.2): a ninth device finds no bus. */
    public static final int MICROVM_TRANSPORTS = 8;

    public static final List<String> DISPLAY = List.of(
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
    public static final String SANDBOX = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";

    @Override
    public String key() {
        return "qemu";
    }

    @Override
    public String binaryName(String arch) {
        return "qemu-system-" + arch;
    }

    @Override
    public MemoryUnits.Unit memoryUnit() {
        return MemoryUnits.Unit.MB;
    }

    @Override
    public KvmUse kvm() {
        return KvmUse.PREFERRED;
    }

    @Override
    public boolean loadsInitrd() {
        return true;
    }

    @Override
    public boolean hasVsock() {
        return true;
    }

    @Override
    public boolean usesVhostVsock() {
        return true;
    }

    @Override
    public boolean supportsVhostNet() {
        return true;
    }

    @Override
    public boolean sharesDirectories() {
        return true;
    }

    @Override
    public boolean hasVirtioSerial() {
        return true;
    }

    @Override
    public boolean pciBus(VmSpec spec) {
        return !spec.guest().qemuMachine(spec).mmio();
    }

    /**
     * On a virtio-mmio machine every device takes one of the {@value #MICROVM_TRANSPORTS} transports:
     * one stays for the NIC, which start adds, and a guest running jurunc's init has one for its
     * virtio-serial ports (the exit status).
     */
    @Override
    public void check(VmSpec spec) throws MountException {
        if (!spec.guest().qemuMachine(spec).mmio()) {
            return;
        }
        int serial = spec.guest().runsJuruncInit() ? 1 : 0;
        int devices = 1
                + serial
                + spec.blocks().size()
                + spec.shares().size()
                + (spec.vsock().isPresent() ? 1 : 0);
        if (devices > MICROVM_TRANSPORTS) {
            throw new MountException(
                    MountException.Reason.UNSUPPORTED,
                    spec.shares().isEmpty() ? "-" : spec.shares().getLast().tag(),
                    "QEMU's microvm machine has "
                            + MICROVM_TRANSPORTS
                            + " virtio devices and this guest needs "
                            + devices
                            + " (NIC, "
                            + (serial == 1 ? "serial ports, " : "")
                            + spec.blocks().size()
                            + " block device(s), "
                            + spec.shares().size()
                            + " shared directories: one per bind-mounted directory, one for all bind-mounted "
                            + "files, one for a shared rootfs); bind-mount fewer directories");
        }
    }

    @Override
    public MonitorInvocation invocation(VmSpec spec, String cmdline, QemuOptions options) {
        GuestType guest = spec.guest();
        QemuMachine machine = guest.qemuMachine(spec);
        List<String> a = new ArrayList<>();
        a.add(spec.monitorBinary().toString());
        a.add("-m");
        a.add(memoryUnit().of(spec.memoryBytes()) + "M");
        a.add("-smp");
        a.add(Integer.toString(spec.vcpus()));
        if (options.dataPath() != null) {
            a.addAll(List.of("-L", options.dataPath().toString()));
        }
        if (spec.accel() == Accel.KVM) {
            a.addAll(List.of("-accel", "kvm", "-cpu", "host"));
        } else {
            a.addAll(List.of("-accel", options.tcgAccel()));
            guest.qemuTcgCpu().ifPresent(cpu -> a.addAll(List.of("-cpu", cpu)));
        }
        if (machine.machine() != null) {
            a.addAll(List.of("-M", machine.machine()));
        }
        a.addAll(DISPLAY);
        if (spec.seccomp()) {
            a.addAll(List.of("-sandbox", SANDBOX));
        }
        a.addAll(List.of("-kernel", spec.kernel().toString()));
        spec.initrd().ifPresent(i -> a.addAll(List.of("-initrd", i.toString())));
        if (spec.net().isPresent()) {
            GuestNet net = spec.net().get();
            a.addAll(guest.qemuNetArgs(spec, net).orElseGet(() -> defaultNet(machine, net, options.vhostNet())));
        } else {
            a.addAll(List.of("-nic", "none"));
        }
        List<BlockDevice> blocks = spec.blocks();
        for (BlockDevice d : blocks) {
            a.addAll(defaultBlock(machine, d));
        }
        for (int i = 0; i < spec.shares().size(); i++) {
            a.addAll(share(machine, spec.shares().get(i), i));
        }
        spec.vsock().ifPresent(v -> a.addAll(vsock(machine, v)));
        a.addAll(guest.qemuExtraArgs(spec));
        String append = cmdline;
        if (spec.accel() == Accel.TCG) {
            List<String> tcgParams = guest.qemuTcgKernelParams(spec, options.hostTscKhz());
            if (!tcgParams.isEmpty()) {
                append = (append.isEmpty() ? "" : append + " ") + String.join(" ", tcgParams);
            }
        }
        if (!append.isEmpty()) {
            a.addAll(List.of("-append", append));
        }
        return new MonitorInvocation(a, List.of());
    }

    static List<String> defaultNet(QemuMachine machine, GuestNet net, boolean vhost) {
        return List.of(
                "-netdev",
                "tap,id=net0,ifname=" + escape(net.tapName()) + ",script=no,downscript=no" + (vhost ? ",vhost=on" : ""),
                "-device",
                machine.nic() + ",netdev=net0,mac=" + net.mac());
    }

    static List<String> defaultBlock(QemuMachine machine, BlockDevice d) {
        String id = escape(d.id());
        return List.of(
                "-device",
                machine.virtio("blk") + ",serial=" + id + ",drive=" + id + ",scsi=off",
                "-drive",
                "format=raw,if=none,id=" + id + ",file=" + escape(d.hostPath().toString()));
    }

    /**
     * A virtio-9p share served by QEMU itself from its (confined) root. A writable share: {@code
     * security_model=passthrough}, a file the guest creates gets the guest's uid, gid and mode and a
     * chown or chmod reaches the host, as under runc (the monitor keeps the four file capabilities
     * that takes, see {@code LaunchFile#withFileCapabilities}). A read-only share: {@code
     * security_model=none}, files keep the host's owners and modes and are read with the monitor's
     * uid. {@code multidevs=remap}: a share that spans several host filesystems (a bind mount inside it, the
     * files share) gets distinct inode numbers instead of a warning on the console.
     */
    static List<String> share(QemuMachine machine, SharedDir d, int index) {
        return List.of(
                "-fsdev",
                "local,id=fs" + index + ",path=" + escape(d.at().toString()) + ",security_model="
                        + (d.readOnly() ? "none" : "passthrough") + ",multidevs=remap"
                        + (d.readOnly() ? ",readonly=on" : ""),
                "-device",
                machine.virtio("9p") + ",fsdev=fs" + index + ",mount_tag=" + d.tag());
    }

    static List<String> vsock(QemuMachine machine, Vsock v) {
        String device = machine.virtio("vsock");
        return List.of("-device", device + ",id=" + device + "0,guest-cid=" + v.guestCid());
    }

    /** QEMU option values escape a comma by doubling it. */
    static String escape(String value) {
        return value.replace(",", ",,");
    }
}
