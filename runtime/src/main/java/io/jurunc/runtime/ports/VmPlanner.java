package io.jurunc.runtime.ports;

import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.VmSpec;

/** Monitor/guest knowledge the lifecycle needs: allow-list, resources, argv. */
public interface VmPlanner {
    /** Fails when the guest does not run on that monitor, naming the monitors it does run on. */
    void checkPair(GuestType guest, MonitorType monitor) throws SandboxException;

    /** Guest RAM and vCPUs from the spec's resources and the configured defaults. */
    GuestResources resources(
            GuestType guest,
            MonitorType monitor,
            long initrdBytes,
            Long memoryLimit,
            Long cpuQuota,
            Long cpuPeriod,
            String cpuset)
            throws SandboxException;

    MonitorInvocation plan(VmSpec spec) throws SandboxException;

    /** Resolves the monitor binary (configured path or PATH). */
    java.nio.file.Path monitorBinary(MonitorType monitor) throws SandboxException;

    /** KVM if a real probe says it works (or config forces it), else TCG; logs the reason. */
    io.jurunc.runtime.vm.Accel accel(MonitorType monitor) throws SandboxException;

    record GuestResources(long memoryBytes, int vcpus) {}
}
