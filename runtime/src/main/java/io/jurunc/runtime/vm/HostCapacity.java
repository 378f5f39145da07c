package io.jurunc.runtime.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's memory and CPU count, which cap guest RAM and vCPUs. */
public record HostCapacity(long memTotalBytes, int cpus) {
    public HostCapacity {
        if (memTotalBytes <= 0 || cpus <= 0) {
            throw new IllegalArgumentException("host capacity must be positive");
        }
    }

    /** Reads MemTotal from /proc/meminfo and the CPUs available to this process. */
    public static HostCapacity probe() {
        return new HostCapacity(
                memTotal(Path.of("/proc/meminfo")), Runtime.getRuntime().availableProcessors());
    }

    static long memTotal(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meminfo, e);
        }
        throw new IllegalStateException("no MemTotal line in " + meminfo);
    }
}
