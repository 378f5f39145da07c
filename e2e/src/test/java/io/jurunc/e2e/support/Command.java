package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One external command: argv, extra environment (added to the inherited one), working directory and a
 * wall-clock limit. Immutable; build variants with the {@code with*} methods.
 */
public record Command(List<String> argv, Map<String, String> env, Optional<Path> workDir, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        env = Map.copyOf(env);
        Objects.requireNonNull(workDir, "workDir");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), Optional.empty(), DEFAULT_TIMEOUT);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), Optional.empty(), DEFAULT_TIMEOUT);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, env, workDir, limit);
    }

    public Command withEnv(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.put(name, value);
        return new Command(argv, merged, workDir, timeout);
    }

    public Command withWorkDir(Path dir) {
        return new Command(argv, env, Optional.of(dir), timeout);
    }

    /** The argv as a shell-like line, for messages only. */
    public String display() {
        return String.join(" ", argv);
    }
}
