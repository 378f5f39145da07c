package io.jurunc.runtime.timestamps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends {@code {"containerID":..,"phase":..,"time":<unix ns>}} lines to a file. */
public final class FileTimestamps implements Timestamps {
    private final Path file;

    public FileTimestamps(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void mark(String containerId, String phase) {
        String line =
                "{\"containerID\":\"" + containerId + "\",\"phase\":\"" + phase + "\",\"time\":" + nowNanos() + "}\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            // Timestamps are diagnostics: losing one must not fail a container.
            System.err.println("jurunc: cannot write timestamp to " + file + ": " + e.getMessage());
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }
}
