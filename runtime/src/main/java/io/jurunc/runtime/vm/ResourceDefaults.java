package io.jurunc.runtime.vm;

/**
 * Defaults from {@code /etc/jurunc/config.toml}: {@code default_memory_mb} (decimal megabytes, as
 * urunc's qemu/solo5 rounding reads them), {@code default_vcpus}, and an optional {@code
 * max_memory_mb} cap (null: the host's MemTotal is the cap).
 */
public record ResourceDefaults(long defaultMemoryMb, int defaultVcpus, Long maxMemoryMb) {
    public static final long DEFAULT_MEMORY_MB = 256;

    public ResourceDefaults {
        if (defaultMemoryMb <= 0) {
            throw new IllegalArgumentException("default_memory_mb must be positive, got " + defaultMemoryMb);
        }
        if (defaultVcpus <= 0) {
            throw new IllegalArgumentException("default_vcpus must be positive, got " + defaultVcpus);
        }
        if (maxMemoryMb != null && maxMemoryMb <= 0) {
            throw new IllegalArgumentException("max_memory_mb must be positive, got " + maxMemoryMb);
        }
    }

    /** 256 MB, 1 vCPU, no configured cap. */
    public static ResourceDefaults standard() {
        return new ResourceDefaults(DEFAULT_MEMORY_MB, 1, null);
    }
}
