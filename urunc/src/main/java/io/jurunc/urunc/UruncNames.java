package io.jurunc.urunc;

import java.util.List;

/**
 * The values of {@link UruncKeys#TYPE} and {@link UruncKeys#HYPERVISOR} that jurunc runs, for the
 * builder's hints (it cannot see the runtime). The runtime's registry of guests and monitors is the
 * source; a runtime test fails when these names and the registry's differ (the order here is the
 * hints').
 */
public final class UruncNames {
    private UruncNames() {}

    /** Guest types ({@code unikernelType}). */
    public static final List<String> GUESTS = List.of("linux", "unikraft", "rumprun", "mirage", "mewz", "hermit");

    /** Monitors ({@code hypervisor}). */
    public static final List<String> MONITORS = List.of("qemu", "firecracker", "hvt", "spt", "cloud-hypervisor");
}
