package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import java.time.Duration;

/** Waits on the host's clock until a condition holds: the waiter getting ready, the monitor's exec. */
final class Poll {
    private Poll() {}

    /** A condition; it throws to stop the wait when it can never hold (e.g. the process is gone). */
    interface Condition<E extends Exception> {
        boolean holds() throws E;
    }

    /**
     * Checks {@code condition} every {@code step} for up to {@code limit}.
     *
     * @return true once it holds, false when the time is up
     * @throws E what the condition throws
     * @throws InterruptedException when the thread is interrupted meanwhile (its flag is set again)
     */
    static <E extends Exception> boolean until(Host host, Duration limit, Duration step, Condition<E> condition)
            throws E, InterruptedException {
        long deadline = host.nanoTime() + limit.toNanos();
        while (!condition.holds()) {
            if (host.nanoTime() - deadline > 0) return false;
            try {
                host.sleep(step);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
        return true;
    }
}
