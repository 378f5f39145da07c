package io.jurunc.bench.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The report step of {@code scripts/bench-spawn.sh}: reads a results folder ({@code samples.tsv},
 * {@code timestamps.log}, {@code consoles/<id>.out}, {@code env.txt}), writes {@code report.md} and
 * {@code spawn.png} into it and prints the report.
 *
 * <pre>java -Djava.awt.headless=true -cp ... io.jurunc.bench.spawn.SpawnReport --results DIR</pre>
 */
public final class SpawnReport {
    private SpawnReport() {}

    /** Everything the report is made of, computed from a results folder. */
    record Results(
            List<Sample> samples,
            List<SubjectSummary> summaries,
            List<PhaseBreakdown> breakdowns,
            String environment) {}

    static Results load(Path dir) throws BenchInputException {
        List<Sample> samples = SamplesFile.read(dir.resolve("samples.tsv"));
        List<PhaseMark> marks = TimestampsFile.read(dir.resolve("timestamps.log"));
        Map<String, Double> guestInit = new HashMap<>();
        for (Sample s : samples) {
            OptionalDouble up = GuestConsole.initStartMs(dir.resolve("consoles").resolve(s.id() + ".out"));
            up.ifPresent(v -> guestInit.put(s.id(), v));
        }
        Set<String> subjects = new LinkedHashSet<>();
        samples.forEach(s -> subjects.add(s.subject()));
        OptionalDouble runc = Stats.median(samples.stream()
                .filter(s -> s.subject().equals("runc") && s.ok())
                .map(Sample::spawnMs)
                .toList());
        List<SubjectSummary> summaries = new ArrayList<>();
        List<PhaseBreakdown> breakdowns = new ArrayList<>();
        for (String subject : subjects) {
            summaries.add(SubjectSummary.of(subject, samples, runc, guestInit));
            PhaseBreakdown b = PhaseBreakdown.of(subject, samples, marks);
            if (b.runs() > 0) {
                breakdowns.add(b);
            }
        }
        String env;
        try {
            Path envFile = dir.resolve("env.txt");
            env = Files.exists(envFile) ? Files.readString(envFile) : "";
        } catch (IOException e) {
            throw new BenchInputException("cannot read env.txt: " + e.getMessage(), e);
        }
        return new Results(samples, summaries, breakdowns, env);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length != 2 || !args[0].equals("--results")) {
            System.err.println("usage: SpawnReport --results DIR   (a folder written by scripts/bench-spawn.sh)");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        Results r;
        try {
            r = load(dir);
        } catch (BenchInputException e) {
            System.err.println("spawn report: " + e.getMessage());
            System.exit(1);
            return;
        }
        String md = MarkdownReport.render(r.summaries(), r.breakdowns(), r.environment());
        Files.writeString(dir.resolve("report.md"), md);
        SpawnChart.write(
                SpawnChart.draw(
                        r.summaries(), r.samples(), "jurunc spawn benchmark: HTTP echo service, " + dir.getFileName()),
                dir.resolve("spawn.png"));
        System.out.print(md);
        System.out.println("\nwritten: " + dir.resolve("report.md") + ", " + dir.resolve("spawn.png"));
    }
}
