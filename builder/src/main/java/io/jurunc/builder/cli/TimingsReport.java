package io.jurunc.builder.cli;

import io.jurunc.builder.Timings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The {@code --timings} table: JVM start, each build phase, the rest, and the process's CPU time. */
final class TimingsReport {
    private TimingsReport() {}

    static void print(List<Timings.Phase> phases, long buildNanos, PrintWriter err) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        long sinceStart = info.startInstant()
                .map(s -> Duration.between(s, Instant.now()).toNanos())
                .orElse(buildNanos);
        err.println("timings (wall ms):");
        row(err, "JVM start, class loading, argument parsing", Math.max(0, sinceStart - buildNanos), 1);
        long covered = 0;
        for (Timings.Phase p : phases) {
            row(err, p.name(), p.nanos(), p.count());
            covered += p.nanos();
        }
        row(err, "other (class loading and setup inside the build)", Math.max(0, buildNanos - covered), 1);
        row(err, "total since the process started", sinceStart, 1);
        info.totalCpuDuration()
                .ifPresent(c -> row(err, "CPU time of the process so far (all threads)", c.toNanos(), 1));
        err.flush();
    }

    private static void row(PrintWriter err, String name, long nanos, int count) {
        err.println(
                String.format(Locale.ROOT, "  %9.1f  %s%s", nanos / 1e6, name, count > 1 ? " (x" + count + ")" : ""));
    }
}
