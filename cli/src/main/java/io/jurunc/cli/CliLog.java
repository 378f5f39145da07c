package io.jurunc.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Errors and warnings, written as runc does: always to stderr, and to {@code --log} when given,
 * as text or as JSON lines ({@code {"level":"error","msg":"...","time":"..."}}) for
 * {@code --log-format json}.
 */
final class CliLog {
    private final String file;
    private final boolean json;
    private final boolean debug;
    private final PrintStream err;

    CliLog(String file, String format, boolean debug) {
        this(file, format, debug, System.err);
    }

    CliLog(String file, String format, boolean debug, PrintStream err) {
        this.file = file;
        this.json = "json".equals(format);
        this.debug = debug;
        this.err = err;
    }

    void error(String msg) {
        err.println("jurunc: " + msg);
        toFile("error", msg);
    }

    void warn(String msg) {
        if (debug || file == null) err.println("jurunc: warning: " + msg);
        toFile("warning", msg);
    }

    void debug(String msg) {
        if (debug) {
            err.println("jurunc: debug: " + msg);
            toFile("debug", msg);
        }
    }

    private void toFile(String level, String msg) {
        if (file == null) return;
        String time = Instant.now().toString();
        String line = json
                ? "{\"level\":\"" + level + "\",\"msg\":\"" + escape(msg) + "\",\"time\":\"" + time + "\"}"
                : "time=\"" + time + "\" level=" + level + " msg=\"" + escape(msg) + "\"";
        try (PrintStream out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8)) {
            out.println(line);
        } catch (IOException e) {
            err.println("jurunc: cannot write log " + file + ": " + e.getMessage());
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
