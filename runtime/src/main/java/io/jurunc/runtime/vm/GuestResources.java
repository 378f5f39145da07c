package io.jurunc.runtime.vm;

import java.util.BitSet;

/**
 * Guest RAM (bytes, before each monitor's rounding, see {@link MemoryUnits}) and vCPUs, computed
 * from the container's {@link ResourceLimits}.
 *
 * <p>Memory: {@code memory.limit} when set; otherwise {@code default_memory_mb} × 1,000,000 bytes
 * (so the default reaches QEMU as {@code -m 256M}, as in urunc), raised to the guest's minimum, but
 * never automatically past {@link #AUTO_MAX_BYTES} (a large image must ask for its RAM). An
 * explicit limit below the guest's minimum ({@link #minimumBytes}) or above the cap (configured
 * {@code max_memory_mb}, else the host's MemTotal) is an error.
 *
 * <p>vCPUs: {@code ceil(quota / period)} (period defaults to 100000 µs) when a quota is set, the
 * number of CPUs in {@code cpus} when a cpuset is set, the smaller of the two when both are, else
 * {@code default_vcpus}; always capped at the host's CPU count.
 */
public record GuestResources(long memoryBytes, int vcpus) {
    /** The smallest guest any unikernel gets. */
    public static final long UNIKERNEL_MIN_BYTES = 32 * MemoryUnits.MIB;

    /** The most RAM a guest gets without an explicit memory limit, whatever its initramfs needs. */
    public static final long AUTO_MAX_BYTES = 1024 * MemoryUnits.MIB;

    static final long DEFAULT_CPU_PERIOD = 100_000L;

    public GuestResources {
        if (memoryBytes <= 0 || vcpus <= 0) {
            throw new IllegalArgumentException("memory and vCPUs must be positive");
        }
    }

    /**
     * The least RAM a guest of this kind gets ({@link GuestType#minimumBytes}): {@value
     * #UNIKERNEL_MIN_BYTES} bytes for most unikernels, more for Mewz, and for Linux a base plus three
     * times the initramfs. {@code initrdBytes} is 0 for a block rootfs.
     */
    public static long minimumBytes(GuestType guest, long initrdBytes) {
        return guest.minimumBytes(initrdBytes);
    }

    /**
     * Computes guest RAM and vCPUs.
     *
     * @param initrdBytes size of the initramfs the guest unpacks, 0 when none
     */
    public static GuestResources compute(
            GuestType guest, long initrdBytes, ResourceLimits limits, ResourceDefaults defaults, HostCapacity host)
            throws GuestResourcesException {
        return new GuestResources(
                memory(guest, initrdBytes, limits.memoryLimit(), defaults, host), vcpus(limits, defaults, host));
    }

    static long memory(GuestType guest, long initrdBytes, Long limit, ResourceDefaults defaults, HostCapacity host)
            throws GuestResourcesException {
        long min = minimumBytes(guest, initrdBytes);
        long max;
        String maxSource;
        if (defaults.maxMemoryMb() != null) {
            max = defaults.maxMemoryMb() * MemoryUnits.MB;
            maxSource = "max_memory_mb = " + defaults.maxMemoryMb() + " in /etc/jurunc/config.toml";
        } else {
            max = host.memTotalBytes();
            maxSource = "the host's MemTotal";
        }
        if (limit == null || limit <= 0) {
            long configured = defaults.defaultMemoryMb() * MemoryUnits.MB;
            if (min > configured && min > AUTO_MAX_BYTES) {
                throw new GuestResourcesException("a " + guest.key() + " guest"
                        + (initrdBytes > 0 ? " with a " + MemoryUnits.describe(initrdBytes) + " initramfs" : "")
                        + " needs " + MemoryUnits.describe(min) + " of RAM, more than the "
                        + MemoryUnits.describe(AUTO_MAX_BYTES) + " given without a memory limit; set "
                        + "linux.resources.memory.limit (e.g. --memory "
                        + ((min + MemoryUnits.MIB - 1) / MemoryUnits.MIB)
                        + "m) or use a block rootfs");
            }
            long bytes = Math.max(configured, min);
            if (bytes > max) {
                throw new GuestResourcesException("default guest memory "
                        + MemoryUnits.describe(bytes)
                        + " exceeds "
                        + maxSource
                        + " ("
                        + MemoryUnits.describe(max)
                        + "); lower default_memory_mb in /etc/jurunc/config.toml");
            }
            return bytes;
        }
        if (limit < min) {
            throw new GuestResourcesException("memory limit "
                    + MemoryUnits.describe(limit)
                    + " is below the minimum of "
                    + MemoryUnits.describe(min)
                    + " for a "
                    + guest.key()
                    + " guest"
                    + (initrdBytes > 0 && min > guest.minimumBytes(0)
                            ? " with a " + MemoryUnits.describe(initrdBytes) + " initramfs"
                            : "")
                    + "; raise linux.resources.memory.limit (e.g. --memory "
                    + ((min + MemoryUnits.MIB - 1) / MemoryUnits.MIB)
                    + "m)");
        }
        if (limit > max) {
            throw new GuestResourcesException("memory limit "
                    + MemoryUnits.describe(limit)
                    + " exceeds "
                    + maxSource
                    + " ("
                    + MemoryUnits.describe(max)
                    + "); lower linux.resources.memory.limit");
        }
        return limit;
    }

    static int vcpus(ResourceLimits limits, ResourceDefaults defaults, HostCapacity host)
            throws GuestResourcesException {
        Integer fromQuota = null;
        Long quota = limits.cpuQuota();
        if (quota != null && quota > 0) {
            Long periodValue = limits.cpuPeriod();
            long period = periodValue == null || periodValue == 0 ? DEFAULT_CPU_PERIOD : periodValue;
            if (period < 0) {
                throw new GuestResourcesException(
                        "cpu period " + period + " is negative; set linux.resources.cpu.period > 0");
            }
            long n = (quota + period - 1) / period;
            fromQuota = (int) Math.min(n, Integer.MAX_VALUE);
        }
        Integer fromCpuset = null;
        if (limits.cpus() != null && !limits.cpus().isBlank()) {
            fromCpuset = cpusetCount(limits.cpus());
        }
        int n;
        if (fromQuota != null && fromCpuset != null) {
            n = Math.min(fromQuota, fromCpuset);
        } else if (fromQuota != null) {
            n = fromQuota;
        } else if (fromCpuset != null) {
            n = fromCpuset;
        } else {
            n = defaults.defaultVcpus();
        }
        return Math.max(1, Math.min(n, host.cpus()));
    }

    /** The number of distinct CPUs in a cpuset list such as "0-3,6" (Linux cpuset syntax). */
    public static int cpusetCount(String cpus) throws GuestResourcesException {
        BitSet set = new BitSet();
        for (String part : cpus.trim().split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw bad(cpus, "empty element");
            }
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    set.set(cpuIndex(p));
                } else {
                    int from = cpuIndex(p.substring(0, dash).trim());
                    int to = cpuIndex(p.substring(dash + 1).trim());
                    if (to < from) {
                        throw bad(cpus, "range " + p + " runs backwards");
                    }
                    set.set(from, to + 1);
                }
            } catch (NumberFormatException e) {
                throw bad(cpus, "'" + p + "' is not a CPU number or range");
            }
        }
        return set.cardinality();
    }

    private static int cpuIndex(String s) {
        int v = Integer.parseInt(s);
        if (v < 0 || v > 8191) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    private static GuestResourcesException bad(String cpus, String why) {
        return new GuestResourcesException(
                "invalid cpuset '" + cpus + "' in linux.resources.cpu.cpus: " + why + "; use a list such as \"0-3,6\"");
    }
}
