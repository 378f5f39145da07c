package io.jurunc.shim.task;

import io.jurunc.shim.backend.BackendException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Passes a terminal task's window size on to its backend ({@code ContainerBackend.resizeConsole}) after
 * ResizePty has set it on the host pty: a microVM's init sets it on the guest's console, which can take a
 * while (a VM still booting answers once its init runs), so ResizePty does not wait. One send at a time
 * per container; sizes that arrive meanwhile collapse into the latest.
 */
final class ConsoleSizeForwarder {
    /** Where a size goes: the backend's resizeConsole for one container. */
    @FunctionalInterface
    interface Sink {
        void resize(int rows, int cols) throws BackendException;
    }

    private record Size(int rows, int cols) {}

    private final String id;
    private final Sink sink;
    private final Executor executor;
    private final Consumer<String> log;
    private Size pending;
    private boolean sending;

    ConsoleSizeForwarder(String id, Sink sink, Executor executor, Consumer<String> log) {
        this.id = id;
        this.sink = sink;
        this.executor = executor;
        this.log = log;
    }

    /** Sends {@code rows} x {@code cols} soon; a size not sent yet is replaced. */
    void submit(int rows, int cols) {
        synchronized (this) {
            pending = new Size(rows, cols);
            if (sending) return;
            sending = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        for (; ; ) {
            Size next;
            synchronized (this) {
                next = pending;
                pending = null;
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            try {
                sink.resize(next.rows(), next.cols());
            } catch (BackendException | RuntimeException e) {
                log.accept(id + ": the console size " + next.rows() + "x" + next.cols()
                        + " did not reach the container (its host pty has it): " + e.getMessage());
            }
        }
    }
}
