package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.MemoryUnits;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.Vsock;
import java.nio.file.Path;

/**
 * What Firecracker and Cloud Hypervisor, both built on rust-vmm, have in common: the executable is
 * named like the monitor, memory is given in MiB, KVM is required, an initrd can be loaded, and the
 * guest's vsock is proxied over a unix socket ({@link #vsockSocket}).
 */
abstract sealed class RustVmmMonitor implements MonitorType permits FirecrackerMonitor, CloudHypervisorMonitor {
    /** The vsock proxy's socket in the work directory when the spec names none. */
    public static final String VSOCK_SOCKET = "vaccel.sock";

    private final String key;

    RustVmmMonitor(String key) {
        this.key = key;
    }

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final String binaryName(String arch) {
        return key;
    }

    @Override
    public final MemoryUnits.Unit memoryUnit() {
        return MemoryUnits.Unit.MIB;
    }

    @Override
    public final KvmUse kvm() {
        return KvmUse.REQUIRED;
    }

    @Override
    public final boolean loadsInitrd() {
        return true;
    }

    @Override
    public final boolean hasVsock() {
        return true;
    }

    /** The unix socket the monitor proxies the guest's vsock over: the spec's, else the work directory's. */
    static Path vsockSocket(VmSpec spec, Vsock v) {
        return v.udsPath() != null ? v.udsPath() : spec.workDir().resolve(VSOCK_SOCKET);
    }
}
