package io.jurunc.vaccel.prof;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-op profiling regions, like vAccel's {@code vaccel_prof_region}s. Does nothing unless enabled
 * ({@code VACCEL_PROFILING_ENABLED=1}): {@link #start(String)} then returns a shared no-op timer.
 * The component name (e.g. {@code vaccel-rpc-agent}) is used as a prefix when regions are merged into
 * another profiler, as the Rust RPC agent and client do: {@code [vaccel-rpc-agent] genop}.
 */
public final class Profiler {
    private static final Timer NOOP = () -> {};

    private final String component;
    private final boolean enabled;
    private final Map<String, Region> regions = new ConcurrentHashMap<>();

    public Profiler(String component, boolean enabled) {
        this.component = component;
        this.enabled = enabled;
    }

    public String component() {
        return component;
    }

    public boolean enabled() {
        return enabled;
    }

    /** A running measurement; closing it records a sample. */
    @FunctionalInterface
    public interface Timer extends AutoCloseable {
        @Override
        void close();
    }

    public Timer start(String region) {
        if (!enabled) {
            return NOOP;
        }
        Region r = regions.computeIfAbsent(region, Region::new);
        long t0 = System.nanoTime();
        return () -> r.add(new Sample(t0, System.nanoTime() - t0));
    }

    /** Records samples measured elsewhere (e.g. fetched from the agent) under {@code name}. */
    public void record(String name, List<Sample> samples) {
        if (enabled && !samples.isEmpty()) {
            regions.computeIfAbsent(name, Region::new).addAll(samples);
        }
    }

    /** Merges another profiler's regions, each named {@code [<component>] <region>}. */
    public void merge(String otherComponent, Map<String, List<Sample>> other) {
        other.forEach((name, samples) -> record("[" + otherComponent + "] " + name, samples));
    }

    /** A copy of all regions' samples, sorted by name. */
    public Map<String, List<Sample>> snapshot() {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(regions.keySet());
        Collections.sort(names);
        for (String n : names) {
            out.put(n, regions.get(n).samples());
        }
        return out;
    }

    public Region region(String name) {
        return regions.get(name);
    }

    /** The {@code [prof]} lines of all regions, sorted by name. */
    public List<String> formatLines() {
        List<String> names = new ArrayList<>(regions.keySet());
        Collections.sort(names);
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(regions.get(n).formatLine());
        }
        return out;
    }
}
