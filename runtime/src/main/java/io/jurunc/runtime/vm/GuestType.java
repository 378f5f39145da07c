package io.jurunc.runtime.vm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of guest jurunc boots (Linux, Unikraft, ...), describing itself: its name in {@code
 * com.urunc.unikernel.unikernelType}, its minimum memory, what it needs from the kernel and the
 * image, the monitors it runs on, its kernel command line (by version where its forms differ) and
 * the fragments it gives each monitor family. An empty fragment means "the monitor's default".
 *
 * <p>The implementations live in {@code vm.guest}, import only this package, and are listed once, in
 * {@code META-INF/services/io.jurunc.runtime.vm.GuestType}; {@link #all()} and {@link #parse} read that
 * list. Each is a singleton there: compare guest types with {@code ==} or by {@link #key()}.
 */
public interface GuestType {
    /** The name in {@code com.urunc.unikernel.unikernelType}, e.g. "linux"; also its JSON form. */
    @JsonValue
    String key();

    /**
     * The least RAM a guest of this kind gets, in bytes, for an initramfs of {@code initrdBytes} (0
     * when none).
     */
    long minimumBytes(long initrdBytes);

    /**
     * The monitors ({@link MonitorType#key()}) it runs on. A pair is supported when the guest or the
     * monitor ({@link MonitorType#guests()}) names the other ({@link SupportMatrix}).
     */
    Set<String> monitors();

    /**
     * Whether the guest runs jurunc's init: the image needs to name no kernel (the kit's boots it),
     * the container's rootfs and process are packed for the init (so a process is required), and the
     * init reports the exit status and serves exec on virtio-serial ports where the monitor has them.
     * Otherwise the image brings its kernel ({@code com.urunc.unikernel.binary}).
     */
    default boolean runsJuruncInit() {
        return false;
    }

    /** Whether the guest can use block devices. */
    boolean supportsBlock();

    /** Whether the guest mounts directories the monitor shares over virtio-9p (bind mounts). */
    default boolean mountsShares() {
        return false;
    }

    /**
     * Whether the guest takes its environment on the kernel command line (then visible in the
     * monitor's argv), so create warns about it.
     */
    default boolean envOnCommandLine() {
        return false;
    }

    /** A note on the command-line form {@code version} selects (e.g. an unparsable version), if any. */
    default Optional<String> versionNote(Optional<String> version) {
        return Optional.empty();
    }

    /** The kernel command line (for Solo5 it is split on single spaces into trailing argv words). */
    String cmdline(VmSpec spec) throws GuestSetupException;

    /** The QEMU machine to boot on. */
    default QemuMachine qemuMachine(VmSpec spec) {
        return QemuMachine.DEFAULT;
    }

    /** QEMU arguments for the network, replacing QEMU's default tap and virtio NIC. */
    default Optional<List<String>> qemuNetArgs(VmSpec spec, GuestNet net) {
        return Optional.empty();
    }

    /** Extra QEMU arguments, after the devices and before {@code -append}. */
    default List<String> qemuExtraArgs(VmSpec spec) {
        return List.of();
    }

    /** The QEMU {@code -cpu} model under TCG, when QEMU's default (qemu64) lacks what it needs. */
    default Optional<String> qemuTcgCpu() {
        return Optional.empty();
    }

    /**
     * Kernel parameters QEMU appends to the command line under TCG only (they would be wrong under
     * KVM), e.g. to skip timer calibrations that TCG makes slow.
     *
     * @param hostTscKhz the host's TSC frequency, null when unknown
     */
    default List<String> qemuTcgKernelParams(VmSpec spec, Long hostTscKhz) {
        return List.of();
    }

    /**
     * The Solo5 manifest name of its network device when the image names none ({@code
     * solo5NetDev}); Solo5 tenders refuse a device under another name.
     */
    default String solo5NetName() {
        return "service";
    }

    /**
     * The Solo5 manifest name of its first block device when the image names none ({@code
     * solo5BlkDev}); empty: the device's id. Further devices always go by their ids.
     */
    default Optional<String> solo5BlockName() {
        return Optional.empty();
    }

    /** Firecracker's {@code drive_id} for a block device. */
    default String firecrackerDriveId(BlockDevice device) {
        return device.id();
    }

    /** Every guest type, in the registry's order. */
    static List<GuestType> all() {
        return Registry.GUESTS;
    }

    /** The guest type named {@code value} (any case); throws with the list of accepted names. */
    @JsonCreator
    static GuestType parse(String value) {
        return Registry.find(all(), GuestType::key, t -> List.of(), value, "unikernel type");
    }
}
