package io.jurunc.vaccel.rpc.common;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcConnectionException;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.TtrpcStatusException;
import io.jurunc.ttrpc.TtrpcTimeoutException;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.proto.ErrorProto;
import java.util.List;

/**
 * Maps vAccel errors to the agent's ttrpc statuses and back, as vAccel's agent and client do: a vAccel error
 * is {@code INTERNAL} with one {@code Any} detail ({@code vaccel.ProtoError} = {@code vaccel.Error{type=FFI,
 * ffi_error=<errno>}}); the client takes the errno from that detail, and every other failure (another
 * status, a lost connection, a timeout) is {@code EBACKEND}.
 */
public final class ErrorCodec {
    private ErrorCodec() {}

    public static TtrpcException toStatus(VaccelException e) {
        Any detail = Any.newBuilder()
                .setTypeUrl(AgentProtocol.ERROR_TYPE_URL)
                .setValue(ErrorProto.Error.newBuilder()
                        .setType(ErrorProto.ErrorType.FFI)
                        .setFfiError(e.errno().code())
                        .build()
                        .toByteString())
                .build();
        return new TtrpcStatusException(StatusCode.INTERNAL, e.getMessage(), List.of(detail));
    }

    public static TtrpcException notFound(String what) {
        return new TtrpcException(StatusCode.NOT_FOUND, what);
    }

    public static TtrpcException invalid(String what) {
        return new TtrpcException(StatusCode.INVALID_ARGUMENT, what);
    }

    /** The vAccel error a failed call means on the client side. */
    public static VaccelException fromStatus(String call, TtrpcException e) {
        if (e instanceof TtrpcStatusException s) {
            for (Any d : s.details()) {
                if (d.getTypeUrl().equals(AgentProtocol.ERROR_TYPE_URL)) {
                    try {
                        ErrorProto.Error err = ErrorProto.Error.parseFrom(d.getValue());
                        if (err.hasFfiError()) {
                            return new VaccelException(
                                    Errno.of(err.getFfiError()), call + ": agent: " + s.statusMessage(), e);
                        }
                    } catch (InvalidProtocolBufferException ignored) {
                        // no errno: EBACKEND below
                    }
                }
            }
        }
        String why = switch (e) {
            case TtrpcConnectionException c -> "connection to the vAccel agent lost: " + c.statusMessage();
            case TtrpcTimeoutException t -> "the vAccel agent did not answer in time";
            default -> "agent: " + e.code() + " " + e.statusMessage();
        };
        return new VaccelException.BackendException(Errno.EBACKEND, call + ": " + why, e);
    }
}
