package io.jurunc.runtime.lifecycle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A container's resource usage in runc's {@code events --stats} shape ({@code types.Stats}: the JSON
 * names are runc's), read from the monitor's cgroup. CPU times are nanoseconds, memory bytes. A
 * limit of "no limit" is {@link #UNLIMITED} (runc prints 2^64-1 on cgroup v2, which a Java long cannot
 * hold; reading runc's JSON clamps it).
 */
public record ContainerStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio) {
    public static final long UNLIMITED = Long.MAX_VALUE;

    public record Cpu(CpuUsage usage, Throttling throttling) {}

    /** @param total, kernel, user nanoseconds */
    public record CpuUsage(long total, List<Long> percpu, long kernel, long user) {
        public CpuUsage {
            percpu = percpu == null ? List.of() : List.copyOf(percpu);
        }
    }

    /** @param throttledTime nanoseconds */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {}

    /** @param raw memory.stat as the kernel names its keys (v1 or v2) */
    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, Map<String, Long> raw) {
        public Memory {
            raw = raw == null ? Map.of() : Map.copyOf(raw);
        }
    }

    public record MemoryEntry(
            @JsonDeserialize(using = Clamped.class) long limit,
            long usage,
            @JsonDeserialize(using = Clamped.class) long max,
            long failcnt) {}

    /** @param limit 0 when there is none (runc's convention) */
    public record Pids(long current, long limit) {}

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {
        public Blkio {
            ioServiceBytesRecursive =
                    ioServiceBytesRecursive == null ? List.of() : List.copyOf(ioServiceBytesRecursive);
            ioServicedRecursive = ioServicedRecursive == null ? List.of() : List.copyOf(ioServicedRecursive);
        }
    }

    /** @param op {@code Read}, {@code Write}, … as runc names them */
    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** Reads an unsigned 64-bit number, clamping what does not fit a long to {@link #UNLIMITED}. */
    public static final class Clamped extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext c) throws IOException {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return UNLIMITED;
            return p.getLongValue();
        }

        @Override
        public Long getNullValue(DeserializationContext c) {
            return 0L;
        }

        @Override
        public Object getAbsentValue(DeserializationContext c) {
            return 0L;
        }
    }
}
