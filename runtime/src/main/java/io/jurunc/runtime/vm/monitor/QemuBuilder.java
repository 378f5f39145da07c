package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.SharedDir;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.Vsock;
import io.jurunc.runtime.vm.guest.GuestKernel;
import io.jurunc.runtime.vm.guest.QemuMachine;
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
 *   [-fsdev local,id=fs&lt;i&gt;,path=&lt;share&gt;,security_model=none,multidevs=remap[,readonly=on]
 *    -device virtio-9p-(pci|device),fsdev=fs&lt;i&gt;,mount_tag=&lt;tag&gt;]...
 *   [-device vhost-vsock-(pci|device),id=vhost-vsock-(pci|device)0,guest-cid=&lt;cid&gt;]
 *   [guest extra] [-append &lt;cmdline&gt;[ &lt;guest's TCG-only kernel params&gt;]]
 * </pre>
 *
 * Memory is decimal MB ({@code bytes / 1_000_000}) as in urunc; QEMU reads the {@code M} suffix as
 * MiB. The {@code -append} value is one argv element.
 */
public final class QemuBuilder extends GuestMonitorBuilder {
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

    private final QemuOptions options;

    public QemuBuilder(QemuOptions options) {
        this.options = options;
    }

    public QemuBuilder() {
        this(QemuOptions.defaults());
    }

    @Override
    public MonitorType type() {
        return MonitorType.QEMU;
    }

    @Override
    public MonitorInvocation build(VmSpec spec, GuestKernel guest, String cmdline) {
        QemuMachine machine = guest.qemuMachine(spec);
        List<String> a = new ArrayList<>();
        a.add(spec.monitorBinary().toString());
        a.add("-m");
        a.add(MemoryUnits.forMonitor(MonitorType.QEMU, spec.memoryBytes()) + "M");
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
            a.addAll(guest.netArgs(MonitorType.QEMU, spec, net)
                    .orElseGet(() -> defaultNet(machine, net, options.vhostNet())));
        } else {
            a.addAll(List.of("-nic", "none"));
        }
        List<BlockDevice> blocks = spec.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            BlockDevice d = blocks.get(i);
            a.addAll(guest.blockArgs(MonitorType.QEMU, spec, d, i).orElseGet(() -> defaultBlock(machine, d)));
        }
        for (int i = 0; i < spec.shares().size(); i++) {
            a.addAll(share(machine, spec.shares().get(i), i));
        }
        spec.vsock().ifPresent(v -> a.addAll(vsock(machine, v)));
        a.addAll(guest.extraArgs(MonitorType.QEMU, spec));
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
     * A virtio-9p share served by QEMU itself from its (confined) root. {@code security_model=none}:
     * files keep the host's owners and modes and are accessed with the monitor's uid; {@code
     * multidevs=remap}: a share that spans several host filesystems (a bind mount inside it, the
     * files share) gets distinct inode numbers instead of a warning on the console.
     */
    static List<String> share(QemuMachine machine, SharedDir d, int index) {
        return List.of(
                "-fsdev",
                "local,id=fs" + index + ",path=" + escape(d.at().toString()) + ",security_model=none,multidevs=remap"
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
