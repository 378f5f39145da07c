package io.jurunc.vaccel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/**
 * vAccel's log: lines like {@code 2025.04.11-20:08:15.67 - <debug> message}, on stdout or in
 * {@code <logFile>-YYYY-MM-DD.log}. Messages above the configured level cost one comparison.
 */
public final class VaccelLog implements AutoCloseable {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy.MM.dd-HH:mm:ss.SS");
    private final LogLevel level;
    private final PrintStream out;
    private final boolean ownsStream;

    public VaccelLog(LogLevel level, PrintStream out) {
        this.level = level;
        this.out = out;
        this.ownsStream = false;
    }

    private VaccelLog(LogLevel level, PrintStream out, boolean owns) {
        this.level = level;
        this.out = out;
        this.ownsStream = owns;
    }

    /** A log for the config: its file (with the date suffix) or stdout. */
    public static VaccelLog open(VaccelConfig config) {
        if (config.logFile() == null) {
            return new VaccelLog(config.logLevel(), System.out);
        }
        Path file = Path.of(config.logFile() + "-" + LocalDate.now() + ".log");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new VaccelLog(
                    config.logLevel(),
                    new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8),
                    true);
        } catch (IOException e) {
            throw new VaccelException(Errno.EIO, "cannot open log file " + file + ": " + e.getMessage(), e);
        }
    }

    public boolean enabled(LogLevel l) {
        return l.value() <= level.value();
    }

    public void log(LogLevel l, Supplier<String> message) {
        if (enabled(l)) {
            out.println(LocalDateTime.now().format(TS) + " - <" + l.name().toLowerCase(java.util.Locale.ROOT) + "> "
                    + message.get());
        }
    }

    public void error(String m) {
        log(LogLevel.ERROR, () -> m);
    }

    public void warn(String m) {
        log(LogLevel.WARN, () -> m);
    }

    public void info(String m) {
        log(LogLevel.INFO, () -> m);
    }

    public void debug(Supplier<String> m) {
        log(LogLevel.DEBUG, m);
    }

    @Override
    public void close() {
        if (ownsStream) {
            out.close();
        }
    }
}
