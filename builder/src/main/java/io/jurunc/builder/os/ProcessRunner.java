package io.jurunc.builder.os;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The builder's one door to external programs (mkfs.ext4, mkfs.erofs, ctr). */
public interface ProcessRunner {
    record Result(int exitCode, String output) {}

    /**
     * Runs {@code argv} with extra environment variables, waits at most {@code timeout}, and returns
     * the exit code with stdout and stderr merged. Throws IOException if it cannot be started.
     */
    Result run(List<String> argv, Map<String, String> env, Duration timeout) throws java.io.IOException;
}
