package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.time.Duration;

/** A long-running child started by {@link Host#start}; its output goes to files. */
public interface Spawned extends AutoCloseable {

    long pid();

    boolean isAlive();

    /** Waits up to {@code limit}; returns the exit code, or -1 if it is still running. */
    int waitFor(Duration limit);

    Path stdoutFile();

    Path stderrFile();

    /** SIGTERM, a grace period, then SIGKILL of the process and its descendants. */
    void stop(Duration grace);

    @Override
    default void close() {
        stop(Duration.ofSeconds(5));
    }
}
