package io.jurunc.runtime.vm.monitor;

import io.jurunc.runtime.vm.GuestSetupException;
import io.jurunc.runtime.vm.MonitorBuilder;
import io.jurunc.runtime.vm.MonitorInvocation;
import io.jurunc.runtime.vm.VmSpec;
import io.jurunc.runtime.vm.guest.GuestKernel;
import io.jurunc.runtime.vm.guest.Guests;

/**
 * A monitor builder that splices in the guest's command line and fragments. {@link
 * io.jurunc.runtime.vm.Monitors#plan} validates the spec and computes the command line once (with
 * typed errors), then calls {@link #build(VmSpec, GuestKernel, String)}.
 */
public abstract class GuestMonitorBuilder implements MonitorBuilder {
    /** Builds from a spec that {@link io.jurunc.runtime.vm.Monitors#plan} has validated. */
    @Override
    public final MonitorInvocation build(VmSpec spec) {
        GuestKernel guest = Guests.of(spec.guest());
        try {
            return build(spec, guest, guest.cmdline(spec));
        } catch (GuestSetupException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The invocation for a validated spec, its guest and the guest's command line. */
    public abstract MonitorInvocation build(VmSpec spec, GuestKernel guest, String cmdline);
}
