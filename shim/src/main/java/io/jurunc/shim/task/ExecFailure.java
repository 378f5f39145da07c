package io.jurunc.shim.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import io.jurunc.ttrpc.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why an exec's launch failed, as its launcher logged it: the last error line that runc's JSON log
 * ({@code --log --log-format json}) gained during the launch, its {@code msg} and, from jurunc's exec
 * relay (runtime/src/main/c/exec-relay.c), a {@code kind}. The launch's stderr cannot carry it: that
 * is the exec's stderr FIFO, which containerd's CRI reads only once Start has returned.
 *
 * @param kind what failed; {@link Kind#UNKNOWN} for a line without a kind (runc's own)
 * @param message the log's message, without runc's {@code exec failed: } prefix
 */
record ExecFailure(Kind kind, String message) {
    /** The relay's kinds, and what containerd is told for each. */
    enum Kind {
        /** The guest found no such command (its status 127). */
        COMMAND_NOT_FOUND("command-not-found", StatusCode.NOT_FOUND),
        /** The guest could not start the command (126: the cwd, the user, exec permission...). */
        COMMAND_NOT_RUNNABLE("command-not-runnable", StatusCode.FAILED_PRECONDITION),
        /** Every exec channel of the VM runs a command: a later exec may succeed. */
        BUSY("busy", StatusCode.UNAVAILABLE),
        /** The VM's exec channel could not be reached, or closed before the command started (the VM stopped). */
        UNREACHABLE("unreachable", StatusCode.FAILED_PRECONDITION),
        /** The relay's own failure (its request file, a pty, the console socket, fork). */
        RELAY("relay", StatusCode.INTERNAL),
        /** A line without a kind: runc's, whose failures containerd's runc shim reports as unknown. */
        UNKNOWN("", StatusCode.UNKNOWN);

        private final String word;
        private final StatusCode code;

        Kind(String word, StatusCode code) {
            this.word = word;
            this.code = code;
        }

        static Kind of(String word) {
            for (Kind k : values()) {
                if (!k.word.isEmpty() && k.word.equals(word)) return k;
            }
            return UNKNOWN;
        }

        StatusCode code() {
            return code;
        }

        /** The exit status Wait reports for an exec that failed so: the guest's 127 or 126, else the launcher's. */
        int exitStatus(int launcherCode) {
            return switch (this) {
                case COMMAND_NOT_FOUND -> 127;
                case COMMAND_NOT_RUNNABLE -> 126;
                default -> launcherCode & 0xff;
            };
        }
    }

    private static final String PREFIX = "exec failed: ";
    /** More than any launch writes: the tail of a log that grew by more is read. */
    private static final int MAX_READ = 64 * 1024;

    ExecFailure {
        if (kind == null) throw new IllegalArgumentException("an exec failure needs a kind");
        if (message == null || message.isBlank()) throw new IllegalArgumentException("an exec failure needs a message");
    }

    /** How many bytes {@code log} has now (0 when it does not exist): where a launch's lines will start. */
    static long mark(Path log) {
        try {
            return Files.size(log);
        } catch (IOException absent) {
            return 0;
        }
    }

    /** The last error line written to {@code log} after {@code from}; empty when there is none (or no log). */
    static Optional<ExecFailure> readFrom(Path log, long from) {
        String text;
        try (InputStream in = Files.newInputStream(log)) {
            long size = Files.size(log);
            long start = size < from ? 0 : Math.max(from, size - MAX_READ); // a log truncated meanwhile: all of it
            in.skipNBytes(start);
            text = new String(in.readNBytes(MAX_READ), StandardCharsets.UTF_8);
        } catch (IOException absent) {
            return Optional.empty();
        }
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            Optional<ExecFailure> f = parse(lines[i]);
            if (f.isPresent()) return f;
        }
        return Optional.empty();
    }

    /** One JSON log line: an error (or fatal) with a message, else empty. */
    static Optional<ExecFailure> parse(String line) {
        if (line.isBlank()) return Optional.empty();
        JsonNode n;
        try {
            n = Json.mapper().readTree(line);
        } catch (IOException notJson) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) return Optional.empty();
        String level = n.path("level").asText();
        String msg = n.path("msg").asText().strip();
        if (!(level.equals("error") || level.equals("fatal")) || msg.isEmpty()) return Optional.empty();
        if (msg.startsWith(PREFIX) && msg.length() > PREFIX.length()) msg = msg.substring(PREFIX.length());
        return Optional.of(new ExecFailure(Kind.of(n.path("kind").asText()), msg));
    }
}
