package io.jurunc.runtime.vm;

import io.jurunc.runtime.vm.guest.GuestKernel;
import io.jurunc.runtime.vm.guest.Guests;
import io.jurunc.runtime.vm.monitor.CloudHypervisorBuilder;
import io.jurunc.runtime.vm.monitor.FirecrackerBuilder;
import io.jurunc.runtime.vm.monitor.GuestMonitorBuilder;
import io.jurunc.runtime.vm.monitor.QemuBuilder;
import io.jurunc.runtime.vm.monitor.QemuOptions;
import io.jurunc.runtime.vm.monitor.Solo5Builder;
import java.util.EnumMap;
import java.util.Map;

/**
 * Entry point: checks a {@link VmSpec} against the guest × monitor matrix and what the guest and
 * monitor can do, then builds the monitor's argv and config files.
 */
public final class Monitors {
    /** virtio-mmio transports of QEMU's microvm machine (QEMU 7.2): a ninth device finds no bus. */
    public static final int MICROVM_TRANSPORTS = 8;

    private final Map<MonitorType, GuestMonitorBuilder> builders = new EnumMap<>(MonitorType.class);

    public Monitors(QemuOptions qemuOptions) {
        builders.put(MonitorType.QEMU, new QemuBuilder(qemuOptions));
        builders.put(MonitorType.FIRECRACKER, new FirecrackerBuilder());
        builders.put(MonitorType.CLOUD_HYPERVISOR, new CloudHypervisorBuilder());
        builders.put(MonitorType.HVT, new Solo5Builder(MonitorType.HVT));
        builders.put(MonitorType.SPT, new Solo5Builder(MonitorType.SPT));
    }

    /** With {@link QemuOptions#forThisHost()}. */
    public Monitors() {
        this(QemuOptions.forThisHost());
    }

    /** Early validation at create: throws when the pair is not in the allow-list. */
    public static void checkPair(GuestType guest, MonitorType monitor) throws UnsupportedPairException {
        SupportMatrix.check(guest, monitor);
    }

    /**
     * Throws when the monitor cannot run with this accelerator: every monitor but QEMU and Solo5
     * spt needs working KVM.
     */
    public static void checkAccel(MonitorType monitor, Accel accel) throws GuestSetupException {
        if (accel == Accel.TCG && monitor.usesKvm() && monitor != MonitorType.QEMU) {
            throw new GuestSetupException("hypervisor '"
                    + monitor.key()
                    + "' needs working KVM, and this host has none usable (the KVM probe chose TCG); "
                    + "use hypervisor 'qemu', which runs under TCG");
        }
    }

    /** The builder for a monitor. */
    public MonitorBuilder builder(MonitorType monitor) {
        return builders.get(monitor);
    }

    /** Validates the spec and returns the monitor's argv and generated files. */
    public MonitorInvocation plan(VmSpec spec) throws VmConfigException {
        checkPair(spec.guest(), spec.monitor());
        GuestKernel guest = Guests.of(spec.guest());
        if (!spec.blocks().isEmpty() && !guest.supportsBlock()) {
            throw new GuestSetupException("unikernel type '"
                    + spec.guest().key()
                    + "' does not support block devices; remove com.urunc.unikernel.block and "
                    + "com.urunc.unikernel.mountRootfs");
        }
        if (!spec.shares().isEmpty() && (spec.guest() != GuestType.LINUX || spec.monitor() != MonitorType.QEMU)) {
            throw new MountException(
                    MountException.Reason.UNSUPPORTED,
                    spec.shares().getFirst().tag(),
                    "shared directories (bind mounts, com.urunc.unikernel.mountRootfs) need a linux guest on "
                            + "qemu (virtio-9p); this is a "
                            + spec.guest().key()
                            + " guest on "
                            + spec.monitor().key());
        }
        if (spec.monitor() == MonitorType.QEMU && guest.qemuMachine(spec).mmio()) {
            // QEMU's microvm has 8 virtio-mmio transports; one stays for the NIC, which start adds, and
            // a Linux guest has one for its virtio-serial ports (the exit status)
            int serial = spec.guest() == GuestType.LINUX ? 1 : 0;
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
        boolean solo5 = spec.monitor() == MonitorType.HVT || spec.monitor() == MonitorType.SPT;
        if (solo5 && spec.initrd().isPresent()) {
            throw new GuestSetupException("hypervisor '"
                    + spec.monitor().key()
                    + "' cannot load an initrd; remove com.urunc.unikernel.initrd");
        }
        if (solo5 && spec.vsock().isPresent()) {
            throw new GuestSetupException("hypervisor '"
                    + spec.monitor().key()
                    + "' has no vsock device; use qemu, firecracker or cloud-hypervisor for vAccel");
        }
        String cmdline = guest.cmdline(spec);
        return builders.get(spec.monitor()).build(spec, guest, cmdline);
    }
}
