package io.jurunc.ttrpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call client options.
 *
 * @param timeout  how long to wait for the response; also sent to the server as {@code timeout_nano}.
 *                 Empty means wait until the response arrives or the connection closes.
 * @param metadata metadata sent with the request
 */
public record CallOptions(Optional<Duration> timeout, Metadata metadata) {
    private static final CallOptions NONE = new CallOptions(Optional.empty(), Metadata.empty());

    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(metadata, "metadata");
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("call timeout must be positive, got " + t);
            }
        });
    }

    public static CallOptions none() {
        return NONE;
    }

    public static CallOptions timeout(Duration timeout) {
        return NONE.withTimeout(timeout);
    }

    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(Optional.of(timeout), metadata);
    }

    public CallOptions withMetadata(String key, String value) {
        return new CallOptions(timeout, metadata.with(key, value));
    }

    public CallOptions withMetadata(Metadata metadata) {
        return new CallOptions(timeout, metadata);
    }
}
