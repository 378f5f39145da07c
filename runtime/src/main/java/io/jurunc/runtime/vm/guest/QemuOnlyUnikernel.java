package io.jurunc.runtime.vm.guest;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.VmSpec;
import java.util.List;
import java.util.Set;

/**
 * A unikernel that runs on QEMU only (Hermit, Mewz): no block devices, and it stops QEMU by writing
 * to an {@code isa-debug-exit} port, so that device is added at the guest's I/O port.
 */
abstract sealed class QemuOnlyUnikernel implements GuestType permits HermitGuest, MewzGuest {
    private final String key;
    private final String debugExitPort;

    /** @param debugExitPort the device's {@code iobase=..,iosize=..} */
    QemuOnlyUnikernel(String key, String debugExitPort) {
        this.key = key;
        this.debugExitPort = debugExitPort;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final Set<String> monitors() {
        return Set.of("qemu");
    }

    @Override
    public final boolean supportsBlock() {
        return false;
    }

    @Override
    public final List<String> qemuExtraArgs(VmSpec spec) {
        return List.of("-device", "isa-debug-exit," + debugExitPort);
    }
}
