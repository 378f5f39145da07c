package io.jurunc.runtime.vm;

/**
 * Each monitor's rounding of the guest RAM (urunc §3.2), {@link MonitorType#memoryUnit()}: QEMU and
 * Solo5 take decimal megabytes ({@code bytes / 1_000_000}, passed as QEMU's {@code -m <n>M} and
 * Solo5's {@code --mem=<n>}), Firecracker and Cloud Hypervisor take mebibytes ({@code bytes /
 * 1_048_576}). Both round down.
 */
public final class MemoryUnits {
    public static final long MB = 1_000_000L;
    public static final long MIB = 1_048_576L;

    /** A monitor's memory unit. */
    public enum Unit {
        /** Decimal megabytes. */
        MB(MemoryUnits.MB),
        /** Mebibytes. */
        MIB(MemoryUnits.MIB);

        private final long bytes;

        Unit(long bytes) {
            this.bytes = bytes;
        }

        /** The number of whole units in {@code bytes}. */
        public long of(long bytes) {
            return bytes / this.bytes;
        }
    }

    private MemoryUnits() {}

    /** The number the monitor is given for {@code bytes} of guest RAM. */
    public static long forMonitor(MonitorType monitor, long bytes) {
        return monitor.memoryUnit().of(bytes);
    }

    /** Human text for error messages, e.g. "48 MiB (50331648 bytes)". */
    public static String describe(long bytes) {
        return (bytes / MIB) + " MiB (" + bytes + " bytes)";
    }
}
