package io.jurunc.e2e.support;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A stack of undo actions run in reverse order on {@link #close()}. Every action runs even when an
 * earlier one throws; the first failure is rethrown with the others attached as suppressed.
 */
public final class Cleanup implements AutoCloseable {

    /** An undo step that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private record Step(String what, Action action) {}

    private final Deque<Step> steps = new ArrayDeque<>();

    public <T extends AutoCloseable> T register(T resource) {
        steps.push(new Step(resource.toString(), resource::close));
        return resource;
    }

    public void defer(String what, Action action) {
        steps.push(new Step(what, action));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!steps.isEmpty()) {
            Step s = steps.pop();
            try {
                s.action().run();
            } catch (Exception e) {
                RuntimeException wrapped =
                        new HarnessException("cleanup step failed: " + s.what() + ": " + e.getMessage(), e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(wrapped);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
