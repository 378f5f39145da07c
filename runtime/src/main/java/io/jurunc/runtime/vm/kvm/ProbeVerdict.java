package io.jurunc.runtime.vm.kvm;

import io.jurunc.runtime.vm.Accel;
import java.util.Objects;

/** What the probe decided, why, and where the answer came from; the caller logs the reason. */
public record ProbeVerdict(Accel accel, String reason, Source source) {
    public enum Source {
        /** accel = "kvm" or "tcg" in the config. */
        CONFIG,
        /** a host fact: kvm_pvm loaded, /dev/kvm unusable, no probe for this architecture. */
        HOST,
        /** a test guest was booted under KVM just now. */
        PROBE,
        /** an earlier probe in this host boot. */
        CACHE
    }

    public ProbeVerdict {
        Objects.requireNonNull(accel, "accel");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
    }

    /** True when QEMU falls back to TCG for a reason worth a warning (not a forced choice). */
    public boolean isFallback() {
        return accel == Accel.TCG && source != Source.CONFIG;
    }
}
