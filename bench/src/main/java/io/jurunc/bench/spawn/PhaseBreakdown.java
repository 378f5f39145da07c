package io.jurunc.bench.spawn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Where a jurunc spawn's time goes: each timestamp phase as an offset from the run's start, ordered
 * by median offset, with the median time since the phase before it; the last step runs to the first
 * HTTP answer (QEMU's start, the guest's boot, the app and the network path).
 *
 * @param steps the steps in order; {@code from} is {@code "start"} for the first one
 * @param runs how many answered runs had timestamps
 */
public record PhaseBreakdown(String subject, List<Step> steps, int runs) {
    /** The pseudo-phase for the first HTTP answer. */
    public static final String ANSWER = "first HTTP answer";

    /** One step: median milliseconds from {@code from} to {@code to}, and {@code to}'s median offset. */
    public record Step(String from, String to, double medianMs, double medianOffsetMs) {}

    public PhaseBreakdown {
        steps = List.copyOf(steps);
    }

    public static PhaseBreakdown of(String subject, List<Sample> samples, List<PhaseMark> marks) {
        Map<String, List<PhaseMark>> byId = new HashMap<>();
        for (PhaseMark m : marks) {
            byId.computeIfAbsent(m.containerId(), k -> new ArrayList<>()).add(m);
        }
        // per run: phase -> offset from start (the first record of a phase counts)
        List<Map<String, Double>> offsets = new ArrayList<>();
        for (Sample s : samples) {
            List<PhaseMark> own = byId.get(s.id());
            if (!s.subject().equals(subject) || !s.ok() || own == null) {
                continue;
            }
            Map<String, Double> o = new LinkedHashMap<>();
            for (PhaseMark m : own) {
                o.putIfAbsent(m.phase(), (m.timeNs() - s.t0Ns()) / 1e6);
            }
            o.put(ANSWER, s.spawnMs());
            offsets.add(o);
        }
        Map<String, Double> medianOffset = new LinkedHashMap<>();
        for (Map<String, Double> o : offsets) {
            for (String phase : o.keySet()) {
                medianOffset.computeIfAbsent(
                        phase,
                        p -> Stats.median(offsets.stream()
                                        .filter(x -> x.containsKey(p))
                                        .map(x -> x.get(p))
                                        .toList())
                                .orElseThrow());
            }
        }
        List<String> order = new ArrayList<>(medianOffset.keySet());
        order.sort(Comparator.comparingDouble(medianOffset::get));
        List<Step> steps = new ArrayList<>();
        String prev = "start";
        for (String phase : order) {
            String from = prev;
            OptionalDouble d = Stats.median(offsets.stream()
                    .filter(x -> x.containsKey(phase) && (from.equals("start") || x.containsKey(from)))
                    .map(x -> x.get(phase) - (from.equals("start") ? 0.0 : x.get(from)))
                    .toList());
            steps.add(new Step(from, phase, d.orElse(Double.NaN), medianOffset.get(phase)));
            prev = phase;
        }
        return new PhaseBreakdown(subject, steps, offsets.size());
    }
}
