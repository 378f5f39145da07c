package io.jurunc.ttrpc;

import com.google.protobuf.ByteString;
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

    /**
     * What the server calls: the request payload as it arrived (aliasing the frame, not copied) and the
     * answer as a {@link Payload} written straight into the response frame. The default copies the request
     * into an array for {@link #handle(byte[], CallContext)}; handlers that parse protobuf can override it
     * to avoid both copies (null still means "marshal called with nil").
     */
    default Payload respond(ByteString payload, CallContext context) throws TtrpcException {
        byte[] result = handle(payload.toByteArray(), context);
        return result == null ? null : Payload.of(result);
    }

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
                throw new TtrpcException(
                        StatusCode.INTERNAL, "ttrpc: error unmarshalling payload: " + e.getMessage(), e);
            }
            R response = method.handle(request, context);
            if (response == null) {
                throw new TtrpcException(StatusCode.INTERNAL, "ttrpc: marshal called with nil");
            }
            return response.toByteArray();
        };
    }
}
