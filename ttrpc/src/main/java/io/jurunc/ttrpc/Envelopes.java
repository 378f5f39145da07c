package io.jurunc.ttrpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.ttrpc.proto.Response;
import io.jurunc.ttrpc.proto.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * Building and parsing of the ttrpc envelope messages (Request, Response, Status).
 *
 * <p>Payload arrays are wrapped, not copied, and parsing aliases the frame buffer: a payload crosses
 * the envelope with one copy at most. Callers must not modify a payload array while its call is sent.
 */
final class Envelopes {
    private Envelopes() {
    }

    static Request request(String service, String method, byte[] payload, CallOptions options) {
        Request.Builder b = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .addAllMetadata(options.metadata().toKeyValues());
        options.timeout().ifPresent(t -> b.setTimeoutNano(saturatedNanos(t)));
        return b.build();
    }

    static Response ok(byte[] payload) {
        return Response.newBuilder()
                .setStatus(Status.getDefaultInstance())
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .build();
    }

    static Response error(StatusCode code, String message) {
        return error(code, message, java.util.List.of());
    }

    static Response error(StatusCode code, String message, java.util.List<com.google.protobuf.Any> details) {
        return Response.newBuilder()
                .setStatus(Status.newBuilder().setCode(code.value()).setMessage(message).addAllDetails(details))
                .build();
    }

    static Request parseRequest(byte[] frame) throws InvalidProtocolBufferException {
        try {
            return Request.parseFrom(aliasing(frame));
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    static Response parseResponse(byte[] frame) throws InvalidProtocolBufferException {
        try {
            return Response.parseFrom(aliasing(frame));
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private static CodedInputStream aliasing(byte[] frame) {
        CodedInputStream in = CodedInputStream.newInstance(frame);
        in.enableAliasing(true);
        return in;
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
