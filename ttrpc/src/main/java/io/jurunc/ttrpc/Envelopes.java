package io.jurunc.ttrpc;

import com.google.protobuf.ByteString;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.ttrpc.proto.Response;
import io.jurunc.ttrpc.proto.Status;
import java.time.Duration;
import java.util.Optional;

/** Encoding of the ttrpc envelope messages (Request, Response, Status). */
final class Envelopes {
    private Envelopes() {
    }

    static byte[] request(String service, String method, byte[] payload, CallOptions options) {
        Request.Builder b = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(ByteString.copyFrom(payload))
                .addAllMetadata(options.metadata().toKeyValues());
        options.timeout().ifPresent(t -> b.setTimeoutNano(saturatedNanos(t)));
        return b.build().toByteArray();
    }

    static byte[] ok(byte[] payload) {
        return Response.newBuilder()
                .setStatus(Status.getDefaultInstance())
                .setPayload(ByteString.copyFrom(payload))
                .build().toByteArray();
    }

    static byte[] error(StatusCode code, String message) {
        return Response.newBuilder()
                .setStatus(Status.newBuilder().setCode(code.value()).setMessage(message))
                .build().toByteArray();
    }

    static Optional<Duration> timeout(Request request) {
        long nanos = request.getTimeoutNano();
        return nanos > 0 ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
