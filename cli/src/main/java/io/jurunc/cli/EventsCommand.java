package io.jurunc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jurunc.oci.Json;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.ContainerStateException;
import io.jurunc.runtime.lifecycle.ContainerStats;
import io.jurunc.runtime.lifecycle.StatsQuery;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code events}: runc's JSON events, one per line: {@code {"type":"stats","id":ID,"data":{...}}} with the
 * monitor's cgroup usage. {@code --stats} prints one and exits; otherwise one every {@code --interval}
 * (Go duration, default 5s) until the container stops. runc's containers go to runc.
 */
@Command(name = "events", description = "display container events such as resource usage")
final class EventsCommand extends ContainerCommand {
    @Option(names = "--interval", defaultValue = "5s", description = "stats collection interval (default 5s)")
    String interval;

    @Option(names = "--stats", description = "display the container's stats once, then exit")
    boolean stats;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        Duration every = duration(interval);
        StatsQuery query = new StatsQuery(top.context());
        System.out.println(event(id, query.run(id)));
        System.out.flush();
        if (stats) return 0;
        while (true) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            ContainerStats s;
            try {
                s = query.run(id);
            } catch (ContainerStateException e) {
                return 0; // the container stopped: the stream ends
            }
            System.out.println(event(id, s));
            System.out.flush();
        }
    }

    static String event(String id, ContainerStats s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "stats");
        e.put("id", id);
        e.put("data", s);
        try {
            return Json.mapper().writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** A Go duration ({@code 5s}, {@code 500ms}, {@code 1m30s}); must be positive. */
    static Duration duration(String value) throws JuruncCommand.UsageException {
        Matcher m = PART.matcher(value);
        long nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (n * unit);
            end = m.end();
        }
        if (value.isEmpty() || end != value.length() || nanos <= 0) {
            throw new JuruncCommand.UsageException(
                    "invalid --interval '" + value + "': use a duration such as 5s or 500ms");
        }
        return Duration.ofNanos(nanos);
    }
}
