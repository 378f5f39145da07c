package io.jurunc.runtime.vm;

/**
 * Each monitor's rounding of the guest RAM (urunc §3.2): QEMU and Solo5 take decimal megabytes
 * ({@code bytes / 1_000_000}, passed as QEMU's {@code -m <n>M} and Solo5's {@code --mem=<n>}),
 * Firecracker and Cloud Hypervisor take mebibytes ({@code bytes / 1_048_576}). Both round down.
 */
public final class MemoryUnits {
    public static final long MB = 1_000_000L;
    public static final long MIB = 1_048_576L;

    private MemoryUnits() {}

    /** The number the monitor is given for {@code bytes} of guest RAM. */
    public static long forMonitor(MonitorType monitor, long bytes) {
        return switch (monitor) {
            case QEMU, HVT, SPT -> bytes / MB;
            case FIRECRACKER, CLOUD_HYPERVISOR -> bytes / MIB;
        };
    }

    /** Human text for error messages, e.g. "48 MiB (50331648 bytes)". */
    public static String describe(long bytes) {
        return (bytes / MIB) + " MiB (" + bytes + " bytes)";
    }
}
