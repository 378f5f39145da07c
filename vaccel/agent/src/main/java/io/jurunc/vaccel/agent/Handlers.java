package io.jurunc.vaccel.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.Payload;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.UnaryHandler;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.ErrorCodec;

/**
 * Adapts a typed agent method as vAccel's agent answers: a payload that does not parse is INVALID_ARGUMENT
 * (ttrpc-rust's generated handlers), a vAccel error is INTERNAL + vaccel.ProtoError.
 */
final class Handlers {
    private Handlers() {}

    @FunctionalInterface
    interface Method<Q, R extends MessageLite> {
        R handle(Q request, CallContext context) throws TtrpcException;
    }

    /**
     * Parses with aliasing (bytes fields share the frame's payload array, which nothing else uses), so a
     * large genop arg is not copied once more; answers like {@link UnaryHandler#proto}.
     */
    static <Q, R extends MessageLite> UnaryHandler of(Parser<Q> parser, Method<Q, R> method) {
        return new UnaryHandler() {
            @Override
            public byte[] handle(byte[] payload, CallContext ctx) throws TtrpcException {
                return ((MessageLite) ((Payload.Message)
                                        respond(com.google.protobuf.UnsafeByteOperations.unsafeWrap(payload), ctx))
                                .message())
                        .toByteArray();
            }

            /** Parses aliasing the frame and answers with the message itself, serialised into the response frame. */
            @Override
            public Payload respond(ByteString payload, CallContext ctx) throws TtrpcException {
                Q req;
                try {
                    CodedInputStream in = payload.newCodedInput();
                    in.enableAliasing(true);
                    req = parser.parseFrom(in);
                } catch (InvalidProtocolBufferException e) {
                    throw new TtrpcException(StatusCode.INVALID_ARGUMENT, e.getMessage(), e);
                }
                return Payload.of(call(() -> method.handle(req, ctx)));
            }
        };
    }

    /** A body that may fail with vAccel errors. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws TtrpcException;
    }

    /** Runs a method body, mapping vAccel errors to the agent's statuses. */
    static <T> T call(Body<T> body) throws TtrpcException {
        try {
            return body.run();
        } catch (VaccelException e) {
            throw ErrorCodec.toStatus(e);
        } catch (IllegalArgumentException e) {
            throw ErrorCodec.invalid(e.getMessage());
        }
    }
}
