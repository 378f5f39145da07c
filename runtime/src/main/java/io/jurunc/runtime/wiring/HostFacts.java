package io.jurunc.runtime.wiring;

import io.jurunc.runtime.vm.HostCapacity;
import io.jurunc.runtime.vm.HostTsc;
import io.jurunc.runtime.vm.MonitorLocator;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.kvm.AccelChoice;
import io.jurunc.runtime.vm.kvm.KvmProbe;
import io.jurunc.runtime.vm.kvm.ProbeVerdict;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@link DefaultVmPlanner} learns from the host: its capacity, its TSC frequency, where the monitor
 * binaries are and whether KVM works. {@link #linux()} reads them from this host, each when asked; tests
 * give fixed ones.
 */
interface HostFacts {
    /** Memory and CPUs, which cap guest RAM and vCPUs. */
    HostCapacity capacity();

    /** The TSC frequency in kHz, when known: a TCG microvm Linux guest is told it. */
    OptionalLong tscKhz();

    /** Finds monitor binaries: the configured paths first, else the search path. */
    MonitorLocator locator(Map<MonitorType, Path> configured);

    /** KVM or TCG for this choice, by a real probe booted with {@code qemu} (null when there is none). */
    ProbeVerdict probeKvm(AccelChoice choice, Path qemu);

    /** /proc/meminfo and the CPUs of this process, /proc/cpuinfo, PATH, the KVM probe. */
    static HostFacts linux() {
        return new HostFacts() {
            @Override
            public HostCapacity capacity() {
                return HostCapacity.probe();
            }

            @Override
            public OptionalLong tscKhz() {
                return HostTsc.read();
            }

            @Override
            public MonitorLocator locator(Map<MonitorType, Path> configured) {
                return MonitorLocator.forThisHost(configured);
            }

            @Override
            public ProbeVerdict probeKvm(AccelChoice choice, Path qemu) {
                return KvmProbe.forThisHost().decide(choice, qemu);
            }
        };
    }
}
