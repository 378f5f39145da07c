package io.jurunc.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall time per build phase, summed over repeats (several layers, several platforms), in the order
 * the phases first ran. One per build, used from the building thread only; {@code jurunc build
 * --timings} prints it.
 */
public final class Timings {
    /** One phase: its name, total wall time and how many times it ran. */
    public record Phase(String name, long nanos, int count) {
        public double millis() {
            return nanos / 1e6;
        }
    }

    private final Map<String, long[]> phases = new LinkedHashMap<>();

    /** Runs {@code work} and adds its wall time to {@code phase}. */
    public <T> T time(String phase, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(phase, System.nanoTime() - t0);
        }
    }

    public void add(String phase, long nanos) {
        long[] v = phases.computeIfAbsent(phase, k -> new long[2]);
        v[0] += nanos;
        v[1]++;
    }

    public List<Phase> phases() {
        List<Phase> out = new ArrayList<>();
        phases.forEach((k, v) -> out.add(new Phase(k, v[0], (int) v[1])));
        return out;
    }
}
