package io.jurunc.runtime.wiring;

import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.ports.VmPlanner;
import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorLocator;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.Monitors;
import io.jurunc.runtime.vm.QemuOptions;
import io.jurunc.runtime.vm.ResourceDefaults;
import io.jurunc.runtime.vm.ResourceLimits;
import io.jurunc.runtime.vm.VmConfigException;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.kvm.AccelChoice;
import io.jurunc.runtime.vm.kvm.ProbeVerdict;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@link VmPlanner} over the vm package: allow-list, resources, locator, KVM probe, builders. What it
 * needs to know about the host comes from {@link HostFacts}.
 */
final class DefaultVmPlanner implements VmPlanner {
    /** The monitor the KVM probe boots its tiny guest with; it also carries the QEMU options. */
    private static final String PROBE_MONITOR = "qemu";

    private final JuruncConfig config;
    private final HostFacts host;
    private final Consumer<String> log;
    private Monitors monitors;
    private MonitorLocator locator;

    DefaultVmPlanner(JuruncConfig config, HostFacts host, Consumer<String> log) {
        this.config = config;
        this.host = host;
        this.log = log;
    }

    private Monitors monitors() {
        if (monitors == null) {
            JuruncConfig.MonitorSettings q = config.monitor(MonitorType.parse(PROBE_MONITOR));
            monitors = new Monitors(new QemuOptions(
                    QemuOptions.DEFAULT_TCG, q.vhost(), q.dataPath().orElse(null), tscKhz()));
        }
        return monitors;
    }

    private Long tscKhz() {
        OptionalLong khz = host.tscKhz();
        return khz.isPresent() ? khz.getAsLong() : null;
    }

    @Override
    public void checkPair(GuestType guest, MonitorType monitor) throws SandboxException {
        try {
            Monitors.checkPair(guest, monitor);
        } catch (VmConfigException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    @Override
    public GuestResources resources(
            GuestType guest,
            MonitorType monitor,
            long initrdBytes,
            Long memoryLimit,
            Long cpuQuota,
            Long cpuPeriod,
            String cpuset)
            throws SandboxException {
        JuruncConfig.MonitorSettings m = config.monitor(monitor);
        ResourceDefaults defaults = new ResourceDefaults(
                m.defaultMemoryMb(), m.defaultVcpus(), config.maxMemoryMb() > 0 ? config.maxMemoryMb() : null);
        try {
            return GuestResources.compute(
                    guest,
                    initrdBytes,
                    new ResourceLimits(memoryLimit, cpuQuota, cpuPeriod, cpuset),
                    defaults,
                    host.capacity());
        } catch (VmConfigException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** The builders validate while they build: the argv of the plan without its network is built and dropped. */
    @Override
    public void check(VmSpec spec) throws SandboxException {
        plan(spec);
    }

    @Override
    public MonitorInvocation plan(VmSpec spec) throws SandboxException {
        try {
            Monitors.checkAccel(spec.monitor(), spec.accel());
            spec.guest().versionNote(spec.unikernelVersion()).ifPresent(log);
            return monitors().plan(spec);
        } catch (VmConfigException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    @Override
    public Path monitorBinary(MonitorType monitor) throws SandboxException {
        if (locator == null) {
            Map<MonitorType, Path> configured = new HashMap<>();
            for (MonitorType t : MonitorType.all()) {
                config.monitor(t).path().ifPresent(p -> configured.put(t, p));
            }
            locator = host.locator(configured);
        }
        try {
            return locator.locate(monitor);
        } catch (VmConfigException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    @Override
    public Accel accel(MonitorType monitor) throws SandboxException {
        AccelChoice choice;
        try {
            choice = AccelChoice.parse(config.accel());
        } catch (IllegalArgumentException e) {
            throw new SandboxException(e.getMessage(), e);
        }
        if (!monitor.usesKvm()) return Accel.TCG;
        Path qemu = null; // the probe boots its tiny guest with QEMU; a forced choice needs none
        try {
            qemu = monitorBinary(MonitorType.parse(PROBE_MONITOR));
        } catch (SandboxException e) {
            if (monitor.key().equals(PROBE_MONITOR)) throw e;
            if (choice == AccelChoice.AUTO) {
                log.accept("no QEMU to probe KVM with; trusting KVM for " + monitor.key());
                return Accel.KVM;
            }
        }
        ProbeVerdict verdict = host.probeKvm(choice, qemu);
        if (verdict.isFallback()) {
            log.accept("KVM is not usable here (" + verdict.reason() + "); falling back to TCG");
        }
        return verdict.accel();
    }
}
