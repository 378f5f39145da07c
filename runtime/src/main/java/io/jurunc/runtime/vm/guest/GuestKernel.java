package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.BlockDevice;
import io.jurunc.runtime.vm.GuestNet;
import io.jurunc.runtime.vm.GuestSetupException;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import java.util.List;
import java.util.Optional;

/**
 * One guest kind: its kernel command line and the monitor fragments it contributes, as in urunc's
 * Unikernel interface ({@code CommandString}, {@code MonitorNetCli}, {@code MonitorBlockCli},
 * {@code MonitorCli}). An empty fragment means "use the monitor's default".
 */
public interface GuestKernel {
    GuestType type();

    /** Whether the guest can use block devices. */
    boolean supportsBlock();

    /** The kernel command line (for Solo5 it is split on single spaces into trailing argv words). */
    String cmdline(VmSpec spec) throws GuestSetupException;

    /** Monitor arguments for the network, replacing the monitor's default. */
    default Optional<List<String>> netArgs(MonitorType monitor, VmSpec spec, GuestNet net) {
        return Optional.empty();
    }

    /** Monitor arguments for block device number {@code index}, replacing the monitor's default. */
    default Optional<List<String>> blockArgs(MonitorType monitor, VmSpec spec, BlockDevice device, int index) {
        return Optional.empty();
    }

    /** Extra monitor arguments, appended before the command line. */
    default List<String> extraArgs(MonitorType monitor, VmSpec spec) {
        return List.of();
    }

    /** The QEMU machine to boot on. */
    default QemuMachine qemuMachine(VmSpec spec) {
        return QemuMachine.DEFAULT;
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

    /** Firecracker's {@code drive_id} for a block device. */
    default String firecrackerDriveId(BlockDevice device) {
        return device.id();
    }
}
