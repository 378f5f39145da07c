package io.jurunc.runtime.vm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Set;

/**
 * One virtual machine monitor (QEMU, Firecracker, ...), describing itself: its name in {@code
 * com.urunc.unikernel.hypervisor} and aliases, its executable, how it counts memory, whether it needs
 * KVM, what it can attach (initrd, vsock, 9p shares, a PCI bus, device nodes it opens) and its argv.
 *
 * <p>The implementations live in {@code vm.monitor}, import only this package, and are listed once,
 * in {@code META-INF/services/io.jurunc.runtime.vm.MonitorType}; {@link #all()} and {@link #parse}
 * read that list. Each is a singleton there: compare monitors with {@code ==} or by {@link #key()}.
 */
public interface MonitorType {
    /** How a monitor uses hardware virtualisation. */
    enum KvmUse {
        /** It cannot run without working KVM. */
        REQUIRED,
        /** It uses KVM when the probe finds it working, else emulates (QEMU's TCG). */
        PREFERRED,
        /** It never uses KVM (Solo5 spt runs the guest as a seccomp-confined process). */
        NONE
    }

    /** The name in {@code com.urunc.unikernel.hypervisor}, e.g. "qemu"; also its JSON form. */
    @JsonValue
    String key();

    /** Other names it is known by (e.g. "solo5-hvt", "clh"). */
    default List<String> aliases() {
        return List.of();
    }

    /** The executable searched in PATH on {@code arch} ("x86_64" or "aarch64"). */
    String binaryName(String arch);

    /** How it is given the guest's RAM. */
    MemoryUnits.Unit memoryUnit();

    /** Whether and how it uses KVM. */
    KvmUse kvm();

    /** Whether the monitor can use hardware virtualisation at all. */
    default boolean usesKvm() {
        return kvm() != KvmUse.NONE;
    }

    /**
     * Guest types ({@link GuestType#key()}) it runs besides those that name it in {@link
     * GuestType#monitors()}; a new monitor lists here the existing guests it runs.
     */
    default Set<String> guests() {
        return Set.of();
    }

    /** Whether it can load an initrd. */
    boolean loadsInitrd();

    /** Whether it has a vsock device (vAccel over vsock). */
    boolean hasVsock();

    /** Whether its vsock device is the host's vhost-vsock (it opens {@code /dev/vhost-vsock}). */
    default boolean usesVhostVsock() {
        return false;
    }

    /** Whether its tap NIC can be accelerated by vhost-net ({@code /dev/vhost-net}) when configured. */
    default boolean supportsVhostNet() {
        return false;
    }

    /** Whether it shares host directories with the guest over virtio-9p. */
    default boolean sharesDirectories() {
        return false;
    }

    /** Whether it has virtio-serial ports (a guest running jurunc's init reports its exit status there). */
    default boolean hasVirtioSerial() {
        return false;
    }

    /** Whether the guest of {@code spec} sees a PCI bus (without one a Linux guest gets {@code pci=off}). */
    boolean pciBus(VmSpec spec);

    /** Checks what only this monitor limits (e.g. QEMU microvm's 8 virtio transports). */
    default void check(VmSpec spec) throws VmConfigException {}

    /**
     * The argv and generated files for a spec that {@code Monitors#plan} validated, with the guest's
     * command line.
     */
    MonitorInvocation invocation(VmSpec spec, String cmdline, QemuOptions qemu);

    /** Every monitor, in the registry's order. */
    static List<MonitorType> all() {
        return Registry.MONITORS;
    }

    /** The monitor named {@code value} or one of its aliases (any case); throws with the accepted names. */
    @JsonCreator
    static MonitorType parse(String value) {
        return Registry.find(all(), MonitorType::key, MonitorType::aliases, value, "hypervisor");
    }
}
