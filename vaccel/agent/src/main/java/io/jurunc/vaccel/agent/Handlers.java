package io.jurunc.vaccel.agent;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.UnaryHandler;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.common.ErrorCodec;

/** Adapts a typed agent method: vAccel errors become the agent's INTERNAL + vaccel.ProtoError status. */
final class Handlers {
    private Handlers() {
    }

    @FunctionalInterface
    interface Method<Q, R extends MessageLite> {
        R handle(Q request, CallContext context) throws TtrpcException;
    }

    /**
     * Parses with aliasing (bytes fields share the frame's payload array, which nothing else uses), so a
     * large genop arg is not copied once more; answers like {@link UnaryHandler#proto}.
     */
    static <Q, R extends MessageLite> UnaryHandler of(Parser<Q> parser, Method<Q, R> method) {
        return (payload, ctx) -> {
            Q req;
            try {
                CodedInputStream in = CodedInputStream.newInstance(payload);
                in.enableAliasing(true);
                req = parser.parseFrom(in);
            } catch (InvalidProtocolBufferException e) {
                throw new TtrpcException(StatusCode.INTERNAL, "ttrpc: error unmarshalling payload: " + e.getMessage(), e);
            }
            try {
                return method.handle(req, ctx).toByteArray();
            } catch (VaccelException e) {
                throw ErrorCodec.toStatus(e);
            } catch (IllegalArgumentException e) {
                throw ErrorCodec.invalid(e.getMessage());
            }
        };
    }
}
