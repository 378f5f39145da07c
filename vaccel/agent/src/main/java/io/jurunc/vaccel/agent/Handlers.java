package io.jurunc.vaccel.agent;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.CallContext;
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

    static <Q, R extends MessageLite> UnaryHandler of(Parser<Q> parser, Method<Q, R> method) {
        return UnaryHandler.proto(parser, (req, ctx) -> {
            try {
                return method.handle(req, ctx);
            } catch (VaccelException e) {
                throw ErrorCodec.toStatus(e);
            } catch (IllegalArgumentException e) {
                throw ErrorCodec.invalid(e.getMessage());
            }
        });
    }
}
