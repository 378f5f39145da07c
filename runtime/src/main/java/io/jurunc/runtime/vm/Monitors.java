package io.jurunc.runtime.vm;

import java.util.List;
import java.util.stream.Stream;

/**
 * Entry point: checks a {@link VmSpec} against the guest × monitor matrix and what the guest and
 * monitor can do ({@link GuestType}, {@link MonitorType}), then has the monitor build its argv and
 * config files. No guest or monitor is named here: each answers for itself.
 */
public final class Monitors {
    private final QemuOptions qemuOptions;

    public Monitors(QemuOptions qemuOptions) {
        this.qemuOptions = qemuOptions;
    }

    /** With {@link QemuOptions#forThisHost()}. */
    public Monitors() {
        this(QemuOptions.forThisHost());
    }

    /** Early validation at create: throws when the pair is not in the allow-list. */
    public static void checkPair(GuestType guest, MonitorType monitor) throws UnsupportedPairException {
        SupportMatrix.check(guest, monitor);
    }

    /** Throws when the monitor cannot run with this accelerator: one that requires KVM refuses TCG. */
    public static void checkAccel(MonitorType monitor, Accel accel) throws GuestSetupException {
        if (accel == Accel.TCG && monitor.kvm() == MonitorType.KvmUse.REQUIRED) {
            throw new GuestSetupException("hypervisor '"
                    + monitor.key()
                    + "' needs working KVM, and this host has none usable (the KVM probe chose TCG); "
                    + "use hypervisor '"
                    + or(MonitorType.all().stream()
                            .filter(m -> m.kvm() == MonitorType.KvmUse.PREFERRED)
                            .map(MonitorType::key))
                    + "', which runs under TCG");
        }
    }

    /** Validates the spec and returns the monitor's argv and generated files. */
    public MonitorInvocation plan(VmSpec spec) throws VmConfigException {
        GuestType guest = spec.guest();
        MonitorType monitor = spec.monitor();
        checkPair(guest, monitor);
        if (!spec.blocks().isEmpty() && !guest.supportsBlock()) {
            throw new GuestSetupException("unikernel type '"
                    + guest.key()
                    + "' does not support block devices; remove com.urunc.unikernel.block and "
                    + "com.urunc.unikernel.mountRootfs");
        }
        if (!spec.shares().isEmpty() && !(guest.mountsShares() && monitor.sharesDirectories())) {
            throw new MountException(
                    MountException.Reason.UNSUPPORTED,
                    spec.shares().getFirst().tag(),
                    "shared directories (bind mounts, com.urunc.unikernel.mountRootfs) need a "
                            + or(GuestType.all().stream()
                                    .filter(GuestType::mountsShares)
                                    .map(GuestType::key))
                            + " guest on "
                            + or(MonitorType.all().stream()
                                    .filter(MonitorType::sharesDirectories)
                                    .map(MonitorType::key))
                            + " (virtio-9p); this is a "
                            + guest.key()
                            + " guest on "
                            + monitor.key());
        }
        monitor.check(spec);
        if (spec.initrd().isPresent() && !monitor.loadsInitrd()) {
            throw new GuestSetupException(
                    "hypervisor '" + monitor.key() + "' cannot load an initrd; remove com.urunc.unikernel.initrd");
        }
        if (spec.vsock().isPresent() && !monitor.hasVsock()) {
            throw new GuestSetupException("hypervisor '"
                    + monitor.key()
                    + "' has no vsock device; use "
                    + or(MonitorType.all().stream()
                            .filter(MonitorType::hasVsock)
                            .map(MonitorType::key))
                    + " for vAccel");
        }
        return monitor.invocation(spec, guest.cmdline(spec), qemuOptions);
    }

    /** "a", "a or b", "a, b or c". */
    static String or(Stream<String> names) {
        List<String> keys = names.toList();
        if (keys.size() <= 1) return String.join("", keys);
        return String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.getLast();
    }
}
