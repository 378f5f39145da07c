package io.jurunc.ttrpc;

import com.google.protobuf.Any;
import java.util.List;

/** The remote side answered a call with a non-OK status. */
public final class TtrpcStatusException extends TtrpcException {
    private final transient List<Any> details;

    public TtrpcStatusException(StatusCode code, String message, List<Any> details) {
        super(code, message);
        this.details = List.copyOf(details);
    }

    /** {@code google.rpc.Status.details} as sent by the server (may be empty). */
    @Override
    public List<Any> details() {
        return details;
    }
}
