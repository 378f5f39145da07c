package io.jurunc.runtime.vm;

/**
 * The container's resource settings, as plain values from config.json's {@code
 * linux.resources}: {@code memory.limit} (bytes; null, 0 or negative = unset), {@code cpu.quota}
 * and {@code cpu.period} (microseconds; quota null or ≤ 0 = unlimited), {@code cpu.cpus} (a
 * cpuset list such as "0-3,6"; null or blank = unset).
 */
public record ResourceLimits(Long memoryLimit, Long cpuQuota, Long cpuPeriod, String cpus) {
    public static ResourceLimits none() {
        return new ResourceLimits(null, null, null, null);
    }
}
