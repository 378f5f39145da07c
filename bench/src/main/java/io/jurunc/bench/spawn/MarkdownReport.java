package io.jurunc.bench.spawn;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Renders the benchmark's Markdown: the summary table, the issue-2 pair and the phase breakdowns. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(List<SubjectSummary> summaries, List<PhaseBreakdown> breakdowns, String environment) {
        StringBuilder md = new StringBuilder();
        md.append("### Spawn: time to the first HTTP answer, host memory per sandbox\n\n");
        md.append(
                "| subject | answered | first answer, median (ms) | × runc | sandbox PSS (MiB) | shim PSS (MiB)"
                        + " | idle sandboxes in 8 GiB | monitor RSS beyond guest RAM (MiB) | of which TCG code cache (MiB) | guest uptime at init (ms) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (SubjectSummary s : summaries) {
            md.append("| ")
                    .append(s.subject())
                    .append(" | ")
                    .append(s.answered())
                    .append('/')
                    .append(s.runs())
                    .append(" | ")
                    .append(num(s.spawnMs(), 0))
                    .append(" | ")
                    .append(s.ratioToRunc().isPresent() ? num(s.ratioToRunc(), 2) + "×" : "–")
                    .append(" | ")
                    .append(num(s.sandboxPssMiB(), 1))
                    .append(" | ")
                    .append(num(s.shimPssMiB(), 1))
                    .append(" | ")
                    .append(
                            s.fitIn8GiB().isPresent()
                                    ? Long.toString(s.fitIn8GiB().getAsLong())
                                    : "–")
                    .append(" | ")
                    .append(num(s.monitorBeyondGuestRamMiB(), 1))
                    .append(" | ")
                    .append(num(s.tcgCacheMiB(), 1))
                    .append(" | ")
                    .append(num(s.guestInitMs(), 0))
                    .append(" |\n");
        }
        overhead(summaries, "jurunc-runc").ifPresent(md::append);
        overhead(summaries, "jurunc-shim").ifPresent(md::append);
        for (PhaseBreakdown b : breakdowns) {
            if (b.runs() == 0) {
                continue;
            }
            md.append("\n### ")
                    .append(b.subject())
                    .append(": phases (jurunc timestamps, medians of ")
                    .append(b.runs())
                    .append(" runs)\n\n");
            beforeMonitor(b).ifPresent(md::append);
            md.append("| step | median (ms) | median offset from start (ms) |\n|---|---|---|\n");
            for (PhaseBreakdown.Step st : b.steps()) {
                md.append("| ")
                        .append(st.from())
                        .append(" → ")
                        .append(st.to())
                        .append(" | ")
                        .append(num(st.medianMs(), 1))
                        .append(" | ")
                        .append(num(st.medianOffsetMs(), 1))
                        .append(" |\n");
            }
        }
        if (!environment.isBlank()) {
            md.append("\n```\n").append(environment.strip()).append("\n```\n");
        }
        return md.toString();
    }

    /** Issue 2's pair: the jurunc subject against bare QEMU booting the same kernel and initramfs. */
    static Optional<String> overhead(List<SubjectSummary> summaries, String subject) {
        Optional<SubjectSummary> j = find(summaries, subject);
        Optional<SubjectSummary> q = find(summaries, "qemu");
        if (j.isEmpty()
                || q.isEmpty()
                || j.get().spawnMs().isEmpty()
                || q.get().spawnMs().isEmpty()) {
            return Optional.empty();
        }
        double total = j.get().spawnMs().getAsDouble();
        double bare = q.get().spawnMs().getAsDouble();
        return Optional.of(String.format(
                Locale.ROOT,
                "%nRuntime overhead, %s: %.0f ms (first answer) − %.0f ms (bare QEMU, same kernel, initramfs and"
                        + " QEMU options) = %.0f ms, %.0f %% of the total.%n",
                subject,
                total,
                bare,
                total - bare,
                100 * (total - bare) / total));
    }

    /**
     * jurunc's own share measured directly: everything before QEMU runs (start to monitor.exec), as a
     * share of the first answer; unlike the difference against bare QEMU, it does not subtract two noisy
     * medians.
     */
    static Optional<String> beforeMonitor(PhaseBreakdown b) {
        Optional<PhaseBreakdown.Step> exec =
                b.steps().stream().filter(s -> s.to().equals("monitor.exec")).findFirst();
        Optional<PhaseBreakdown.Step> answer = b.steps().stream()
                .filter(s -> s.to().equals(PhaseBreakdown.ANSWER))
                .findFirst();
        if (exec.isEmpty() || answer.isEmpty()) {
            return Optional.empty();
        }
        double before = exec.get().medianOffsetMs();
        double total = answer.get().medianOffsetMs();
        return Optional.of(String.format(
                Locale.ROOT,
                "Before QEMU runs (start → monitor.exec): %.0f ms, %.0f %% of the first answer's %.0f ms.%n%n",
                before,
                100 * before / total,
                total));
    }

    private static Optional<SubjectSummary> find(List<SubjectSummary> summaries, String subject) {
        return summaries.stream().filter(s -> s.subject().equals(subject)).findFirst();
    }

    static String num(OptionalDouble v, int decimals) {
        return v.isPresent() ? num(v.getAsDouble(), decimals) : "–";
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
