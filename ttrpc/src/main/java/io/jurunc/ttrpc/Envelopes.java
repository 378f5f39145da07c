package io.jurunc.ttrpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
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
    private Envelopes() {}

    static Request request(String service, String method, byte[] payload, CallOptions options) {
        Request.Builder b = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .addAllMetadata(options.metadata().toKeyValues());
        options.timeout().ifPresent(t -> b.setTimeoutNano(saturatedNanos(t)));
        return b.build();
    }

    /** {@code Response{status={}, payload}} (the payload field omitted when empty, as protobuf does). */
    static Payload okEnvelope(Payload payload) {
        int n = payload.size();
        int size = 2 + (n == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n);
        return new Payload() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void writeTo(CodedOutputStream out) throws java.io.IOException {
                out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(0);
                if (n > 0) {
                    out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(n);
                    payload.writeTo(out);
                }
            }
        };
    }

    /** {@code Request{service, method, payload, timeout_nano, metadata}} around a payload that is not copied first. */
    static Payload requestEnvelope(String service, String method, Payload payload, CallOptions options) {
        int n = payload.size();
        long timeout = options.timeout().map(Envelopes::saturatedNanos).orElse(0L);
        java.util.List<io.jurunc.ttrpc.proto.KeyValue> metadata =
                options.metadata().toKeyValues();
        int size = (service.isEmpty() ? 0 : CodedOutputStream.computeStringSize(1, service))
                + (method.isEmpty() ? 0 : CodedOutputStream.computeStringSize(2, method))
                + (n == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(n) + n)
                + (timeout == 0 ? 0 : CodedOutputStream.computeInt64Size(4, timeout));
        for (var kv : metadata) {
            size += CodedOutputStream.computeMessageSize(5, kv);
        }
        int total = size;
        return new Payload() {
            @Override
            public int size() {
                return total;
            }

            @Override
            public void writeTo(CodedOutputStream out) throws java.io.IOException {
                if (!service.isEmpty()) {
                    out.writeString(1, service);
                }
                if (!method.isEmpty()) {
                    out.writeString(2, method);
                }
                if (n > 0) {
                    out.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(n);
                    payload.writeTo(out);
                }
                if (timeout != 0) {
                    out.writeInt64(4, timeout);
                }
                for (var kv : metadata) {
                    out.writeMessage(5, kv);
                }
            }
        };
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
                .setStatus(Status.newBuilder()
                        .setCode(code.value())
                        .setMessage(message)
                        .addAllDetails(details))
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

    /**
     * A reader whose bytes fields share {@code frame}. The input must be marked immutable for protobuf to
     * alias ({@code CodedInputStream.newInstance(byte[])} is not, and copied every payload once more); a
     * wrapped {@code ByteString}'s input is.
     */
    private static CodedInputStream aliasing(byte[] frame) {
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(frame).newCodedInput();
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
