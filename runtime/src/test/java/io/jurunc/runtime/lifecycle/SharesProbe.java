package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.sandbox.LaunchFile;
import io.jurunc.runtime.vm.VmSpec;

/** Opens {@link MonitorConfinement#withShares} to tests in other packages. */
public final class SharesProbe {
    private SharesProbe() {}

    public static LaunchFile withShares(LaunchFile planned, VmSpec vm) {
        return MonitorConfinement.withShares(planned, vm);
    }
}
