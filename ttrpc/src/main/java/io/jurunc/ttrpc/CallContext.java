package io.jurunc.ttrpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler knows about the call it serves.
 *
 * @param service       full service name, e.g. {@code containerd.task.v3.Task}
 * @param method        method name, e.g. {@code Create}
 * @param metadata      request metadata
 * @param timeout       the client's {@code timeout_nano}, if it set one
 * @param startNanos    {@link System#nanoTime()} when the request was received
 * @param connection    the connection the request arrived on
 */
public record CallContext(
        String service,
        String method,
        Metadata metadata,
        Optional<Duration> timeout,
        long startNanos,
        ServerConnection connection) {
    public CallContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connection, "connection");
    }

    /** Shorthand for {@code connection().id()}. */
    public long connectionId() {
        return connection.id();
    }

    /** Shorthand for {@code connection().onClose(listener)}. */
    public void onClose(Runnable listener) {
        connection.onClose(listener);
    }

    /** Time left before the client's timeout, empty if it set none (may be negative once expired). */
    public Optional<Duration> remaining() {
        return timeout.map(t -> t.minusNanos(System.nanoTime() - startNanos));
    }

    /** True when the client's timeout has passed (the client no longer waits for the answer). */
    public boolean expired() {
        return remaining().map(r -> r.isNegative() || r.isZero()).orElse(false);
    }
}
