package io.jurunc.e2e.support;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Sleeping and polling for the harness: an interrupt ends the test as a harness failure. */
public final class Waits {
    private Waits() {}

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted", e);
        }
    }

    /**
     * Reads {@code probe} again every 100 ms while it finds something, for up to {@code limit}; returns the
     * last reading. For what goes away asynchronously (a daemon or a monitor after containerd's last call).
     */
    public static <T> List<T> whileNonEmpty(Supplier<List<T>> probe, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<T> left = probe.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            left = probe.get();
        }
        return left;
    }
}
