package io.jurunc.runtime.sandbox;

import java.util.OptionalLong;

/**
 * Limits for the monitor's cgroup.
 *
 * @param memoryBytes memory.max (v2) / memory.limit_in_bytes (v1)
 * @param cpuQuotaUs with {@code cpuPeriodUs}: cpu.max (v2) / cpu.cfs_quota_us and cpu.cfs_period_us (v1)
 */
public record CgroupLimits(OptionalLong memoryBytes, OptionalLong cpuQuotaUs, OptionalLong cpuPeriodUs) {
    public CgroupLimits {
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("memory limit must be positive");
        }
        if (cpuQuotaUs.isPresent() != cpuPeriodUs.isPresent()) {
            throw new IllegalArgumentException("cpu quota and period go together");
        }
        if (cpuPeriodUs.isPresent()
                && (cpuPeriodUs.getAsLong() < 1000
                        || cpuPeriodUs.getAsLong() > 1_000_000
                        || cpuQuotaUs.getAsLong() < 1000)) {
            throw new IllegalArgumentException("cpu period must be in [1000, 1000000] us and quota >= 1000 us");
        }
    }
}
