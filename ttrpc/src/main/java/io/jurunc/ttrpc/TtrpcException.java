package io.jurunc.ttrpc;

import java.util.Objects;

/**
 * A failed ttrpc call, carrying the gRPC status code that describes it.
 *
 * <p>Handlers throw it to answer a request with a non-OK status; the client throws it (or one of its
 * subclasses) when a call fails.
 */
public class TtrpcException extends Exception {
    private final StatusCode code;

    public TtrpcException(StatusCode code, String message) {
        super(message);
        this.code = requireNotOk(code);
    }

    public TtrpcException(StatusCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNotOk(code);
    }

    private static StatusCode requireNotOk(StatusCode code) {
        Objects.requireNonNull(code, "code");
        if (code == StatusCode.OK) {
            throw new IllegalArgumentException("a TtrpcException cannot carry status OK");
        }
        return code;
    }

    /** {@code google.rpc.Status.details} to send (servers) or as received (clients); empty here. */
    public java.util.List<com.google.protobuf.Any> details() {
        return java.util.List.of();
    }

    public StatusCode code() {
        return code;
    }

    /** The message without the code prefix (what goes into {@code Status.message}). */
    public String statusMessage() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }
}
