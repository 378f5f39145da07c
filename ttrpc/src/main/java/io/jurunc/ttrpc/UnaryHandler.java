package io.jurunc.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

/**
 * Serves one (service, method): takes the request payload, returns the response payload.
 *
 * <p>Throw {@link TtrpcException} to answer with a status; any other exception answers UNKNOWN with the
 * exception's message. Handlers run on their own virtual thread, concurrently with other calls.
 */
@FunctionalInterface
public interface UnaryHandler {
    byte[] handle(byte[] payload, CallContext context) throws TtrpcException;

    /** A typed handler body for {@link #proto}. */
    @FunctionalInterface
    interface ProtoMethod<Q, R extends MessageLite> {
        R handle(Q request, CallContext context) throws TtrpcException;
    }

    /**
     * Adapts a typed method: parses the payload with {@code parser} (failure answers INTERNAL, like
     * ttrpc's "error unmarshalling payload") and serialises the returned message.
     */
    static <Q, R extends MessageLite> UnaryHandler proto(Parser<Q> parser, ProtoMethod<Q, R> method) {
        return (payload, context) -> {
            Q request;
            try {
                request = parser.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new TtrpcException(StatusCode.INTERNAL,
                        "ttrpc: error unmarshalling payload: " + e.getMessage(), e);
            }
            R response = method.handle(request, context);
            if (response == null) {
                throw new TtrpcException(StatusCode.INTERNAL, "ttrpc: marshal called with nil");
            }
            return response.toByteArray();
        };
    }
}
