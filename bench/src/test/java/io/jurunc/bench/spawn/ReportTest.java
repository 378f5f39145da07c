package io.jurunc.bench.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link SubjectSummary}, {@link PhaseBreakdown}, {@link MarkdownReport} and {@link SpawnChart}. */
class ReportTest {
    private static final long S = 1_000_000_000L;

    private static Sample sample(String subject, int run, long ms, long pssKb, long shimKb) {
        long t0 = run * 100 * S;
        return new Sample(subject, run, subject + "-" + run, t0, t0 + ms * 1_000_000, pssKb, shimKb, 0, 0, 0, "ok");
    }

    private static Sample qemu(String subject, int run, long ms, long pssKb, long rssKb, long guestKb) {
        long t0 = run * 100 * S;
        return new Sample(
                subject, run, subject + "-" + run, t0, t0 + ms * 1_000_000, pssKb, 0, rssKb, guestKb, 20 * 1024, "ok");
    }

    private static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        s.add(sample("runc", 1, 100, 1024, 5120));
        s.add(sample("runc", 2, 300, 1024, 5120));
        s.add(sample("runc", 3, 200, 1024, 5120));
        s.add(qemu("jurunc-runc", 1, 900, 100 * 1024, 90 * 1024, 60 * 1024));
        s.add(qemu("jurunc-runc", 2, 800, 100 * 1024, 90 * 1024, 60 * 1024));
        s.add(new Sample("jurunc-runc", 3, "jurunc-runc-3", 300 * S, 0, 0, 0, 0, 0, 0, "timeout"));
        s.add(qemu("qemu", 1, 700, 95 * 1024, 85 * 1024, 60 * 1024));
        return s;
    }

    @Test
    void summary_mediansRatioAndFit() {
        OptionalDouble runc = OptionalDouble.of(200);
        SubjectSummary j = SubjectSummary.of("jurunc-runc", samples(), runc, Map.of("jurunc-runc-1", 300.0));
        assertThat(j.runs()).isEqualTo(3);
        assertThat(j.answered()).isEqualTo(2);
        assertThat(j.spawnMs().getAsDouble()).isEqualTo(850.0);
        assertThat(j.ratioToRunc().getAsDouble()).isEqualTo(4.25);
        assertThat(j.sandboxPssMiB().getAsDouble()).isEqualTo(100.0);
        assertThat(j.fitIn8GiB().getAsLong()).isEqualTo(81); // 8192 / 100
        assertThat(j.monitorBeyondGuestRamMiB().getAsDouble()).isEqualTo(30.0);
        assertThat(j.tcgCacheMiB().getAsDouble()).isEqualTo(20.0);
        assertThat(j.guestInitMs().getAsDouble()).isEqualTo(300.0);

        SubjectSummary r = SubjectSummary.of("runc", samples(), runc, Map.of());
        assertThat(r.spawnMs().getAsDouble()).isEqualTo(200.0);
        assertThat(r.fitIn8GiB().getAsLong()).isEqualTo(1365); // 8192 / 6
        assertThat(r.monitorBeyondGuestRamMiB()).isEmpty();
    }

    @Test
    void breakdown_ordersPhasesAndEndsAtTheAnswer() {
        List<Sample> s = List.of(sample("jurunc-runc", 1, 900, 1, 1), sample("jurunc-runc", 2, 1100, 1, 1));
        List<PhaseMark> marks = new ArrayList<>();
        for (Sample x : s) {
            marks.add(new PhaseMark(x.id(), "create.invoked", x.t0Ns() + 100_000_000L));
            marks.add(new PhaseMark(x.id(), "monitor.exec", x.t0Ns() + (x.run() == 1 ? 400 : 600) * 1_000_000L));
        }
        marks.add(new PhaseMark("someone-else", "create.invoked", 5));
        PhaseBreakdown b = PhaseBreakdown.of("jurunc-runc", s, marks);
        assertThat(b.runs()).isEqualTo(2);
        assertThat(b.steps())
                .extracting(PhaseBreakdown.Step::to)
                .containsExactly("create.invoked", "monitor.exec", PhaseBreakdown.ANSWER);
        assertThat(b.steps().get(0).from()).isEqualTo("start");
        assertThat(b.steps().get(0).medianMs()).isCloseTo(100, within(1e-6));
        assertThat(b.steps().get(1).medianMs()).isCloseTo(400, within(1e-6));
        assertThat(b.steps().get(2).medianMs()).isCloseTo(500, within(1e-6));
        assertThat(b.steps().get(2).medianOffsetMs()).isCloseTo(1000, within(1e-6));
        assertThat(MarkdownReport.render(List.of(), List.of(b), ""))
                .contains("Before QEMU runs (start → monitor.exec): 500 ms, 50 % of the first answer's 1000 ms.");
    }

    @Test
    void markdown_tableRowsAndRuntimeOverhead() {
        List<Sample> s = samples();
        OptionalDouble runc = OptionalDouble.of(200);
        List<SubjectSummary> sums = List.of(
                SubjectSummary.of("runc", s, runc, Map.of()),
                SubjectSummary.of("jurunc-runc", s, runc, Map.of()),
                SubjectSummary.of("qemu", s, runc, Map.of()));
        String md = MarkdownReport.render(sums, List.of(), "load average at start: 1.00");
        assertThat(md).contains("| runc | 3/3 | 200 | 1.00× | 1.0 | 5.0 | 1365 | – | – | – |");
        assertThat(md).contains("| jurunc-runc | 2/3 | 850 | 4.25× | 100.0 | 0.0 | 81 | 30.0 | 20.0 | – |");
        assertThat(md).contains("Runtime overhead, jurunc-runc: 850 ms (first answer) − 700 ms (bare QEMU");
        assertThat(md).contains("= 150 ms, 18 % of the total.");
        assertThat(md).contains("load average at start: 1.00");
    }

    @Test
    void chart_isAPngWithOneRowPerSubject(@TempDir Path dir) throws Exception {
        List<Sample> s = samples();
        List<SubjectSummary> sums = List.of(
                SubjectSummary.of("runc", s, OptionalDouble.of(200), Map.of()),
                SubjectSummary.of("nothing", s, OptionalDouble.of(200), Map.of()));
        BufferedImage img = SpawnChart.draw(sums, s, "test");
        Path png = dir.resolve("c.png");
        SpawnChart.write(img, png);
        byte[] head = Files.readAllBytes(png);
        assertThat(head).startsWith(0x89, 'P', 'N', 'G');
        assertThat(img.getHeight()).isGreaterThan(2 * 30);
        // runc's median bar (200 of max 300 ms) is drawn in the bar colour on its row
        assertThat(img.getRGB(131, 56 + 17) & 0xFFFFFF).isEqualTo(0x4C78A8);
    }

    @Test
    void load_readsAResultsFolder(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("samples.tsv"),
                SamplesFile.HEADER + "\n"
                        + "runc\t1\tr1\t1000000000\t1100000000\t1024\t1024\t0\t0\t0\tok\n"
                        + "qemu\t1\tq1\t1000000000\t1700000000\t102400\t0\t92160\t61440\t20480\tok\n");
        Files.createDirectories(dir.resolve("consoles"));
        Files.writeString(dir.resolve("consoles/q1.out"), "jurunc-init: started at uptime 0.250\n");
        SpawnReport.Results r = SpawnReport.load(dir);
        assertThat(r.summaries()).extracting(SubjectSummary::subject).containsExactly("runc", "qemu");
        assertThat(r.summaries().get(1).guestInitMs().getAsDouble()).isEqualTo(250.0);
        assertThat(r.summaries().get(1).ratioToRunc().getAsDouble()).isCloseTo(7.0, within(1e-9));
        assertThat(r.breakdowns()).isEmpty();
    }
}
