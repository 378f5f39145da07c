package io.jurunc.vaccel.prof;

import java.util.ArrayList;
import java.util.List;

/** A named profiling region: its samples, in the order they were recorded. Thread-safe. */
public final class Region {
    private final String name;
    private final List<Sample> samples = new ArrayList<>(16);

    Region(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    synchronized void add(Sample s) {
        samples.add(s);
    }

    synchronized void addAll(List<Sample> s) {
        samples.addAll(s);
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public synchronized long totalTime() {
        long t = 0;
        for (Sample s : samples) {
            t += s.time();
        }
        return t;
    }

    public synchronized int entries() {
        return samples.size();
    }

    /** vAccel's line: {@code [prof] <name>: total_time: <ns> nsec nr_entries: <n>}. */
    public String formatLine() {
        return "[prof] " + name + ": total_time: " + totalTime() + " nsec nr_entries: " + entries();
    }
}
