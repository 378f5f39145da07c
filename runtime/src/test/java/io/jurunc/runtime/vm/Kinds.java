package io.jurunc.runtime.vm;

/** The registered guest types and monitors by name, for tests. */
public final class Kinds {
    private Kinds() {}

    public static final GuestType LINUX = GuestType.parse("linux");
    public static final GuestType UNIKRAFT = GuestType.parse("unikraft");
    public static final GuestType RUMPRUN = GuestType.parse("rumprun");
    public static final GuestType MIRAGE = GuestType.parse("mirage");
    public static final GuestType MEWZ = GuestType.parse("mewz");
    public static final GuestType HERMIT = GuestType.parse("hermit");

    public static final MonitorType QEMU = MonitorType.parse("qemu");
    public static final MonitorType FIRECRACKER = MonitorType.parse("firecracker");
    public static final MonitorType CLOUD_HYPERVISOR = MonitorType.parse("cloud-hypervisor");
    public static final MonitorType HVT = MonitorType.parse("hvt");
    public static final MonitorType SPT = MonitorType.parse("spt");
}
