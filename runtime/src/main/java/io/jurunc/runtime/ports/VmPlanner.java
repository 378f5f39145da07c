package io.jurunc.runtime.ports;

import io.jurunc.runtime.vm.Accel;
import io.jurunc.runtime.vm.GuestResources;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;
import java.nio.file.Path;

/** Monitor/guest knowledge the lifecycle needs: allow-list, resources, argv. */
public interface VmPlanner {
    /** Fails when the guest does not run on that monitor, naming the monitors it does run on. */
    void checkPair(GuestType guest, MonitorType monitor) throws SandboxException;

    /** Guest RAM and vCPUs from the spec's resources and the configured defaults ({@link GuestResources#compute}). */
    GuestResources resources(
            GuestType guest,
            MonitorType monitor,
            long initrdBytes,
            Long memoryLimit,
            Long cpuQuota,
            Long cpuPeriod,
            String cpuset)
            throws SandboxException;

    /**
     * Fails when the monitor cannot run this plan (create calls it, so that such a VM fails create); the
     * network start adds is accounted for.
     */
    void check(VmSpec spec) throws SandboxException;

    /** The monitor's argv and generated files for the plan start completed with the network. */
    MonitorInvocation plan(VmSpec spec) throws SandboxException;

    /** Resolves the monitor binary (configured path or PATH). */
    Path monitorBinary(MonitorType monitor) throws SandboxException;

    /** KVM if a real probe says it works (or config forces it), else TCG; logs the reason. */
    Accel accel(MonitorType monitor) throws SandboxException;
}
