package io.jurunc.runtime.vm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The virtual machine monitors, named as in {@code com.urunc.unikernel.hypervisor}. */
public enum MonitorType {
    QEMU("qemu", true),
    FIRECRACKER("firecracker", true),
    CLOUD_HYPERVISOR("cloud-hypervisor", true),
    HVT("hvt", true),
    SPT("spt", false);

    private final String key;
    private final boolean usesKvm;

    MonitorType(String key, boolean usesKvm) {
        this.key = key;
        this.usesKvm = usesKvm;
    }

    public String key() {
        return key;
    }

    /** Whether the monitor needs hardware virtualisation (QEMU can fall back to TCG). */
    public boolean usesKvm() {
        return usesKvm;
    }

    public static MonitorType parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("solo5-hvt")) v = "hvt";
        if (v.equals("solo5-spt")) v = "spt";
        if (v.equals("clh")) v = "cloud-hypervisor";
        for (MonitorType t : values()) {
            if (t.key.equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown hypervisor '" + value + "'; expected one of "
                + Arrays.stream(values()).map(MonitorType::key).collect(Collectors.joining(", ")));
    }
}
