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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps vAccel errors to the agent's ttrpc statuses and back, as vAccel's agent does: a vAccel error is
 * {@code INTERNAL} with one {@code Any} detail ({@code vaccel.ProtoError} = {@code vaccel.Error{type=FFI,
 * ffi_error=<errno>}}). The status message also starts with {@code [errno N]}, so the code survives a
 * ttrpc server that drops details.
 */
public final class ErrorCodec {
    private static final Pattern ERRNO = Pattern.compile("^\\[errno (\\d+)] ");

    private ErrorCodec() {
    }

    public static TtrpcException toStatus(VaccelException e) {
        Any detail = Any.newBuilder().setTypeUrl(AgentProtocol.ERROR_TYPE_URL)
            .setValue(ErrorProto.Error.newBuilder().setType(ErrorProto.ErrorType.FFI).setFfiError(e.errno().code()).build().toByteString())
            .build();
        return new TtrpcStatusException(StatusCode.INTERNAL, "[errno " + e.errno().code() + "] " + e.getMessage(), List.of(detail));
    }

    public static TtrpcException notFound(String what) {
        return new TtrpcException(StatusCode.NOT_FOUND, what);
    }

    public static TtrpcException invalid(String what) {
        return new TtrpcException(StatusCode.INVALID_ARGUMENT, what);
    }

    /** The vAccel error a failed call means on the client side. */
    public static VaccelException fromStatus(String call, TtrpcException e) {
        if (e instanceof TtrpcConnectionException) {
            return new VaccelException.BackendException(Errno.EREMOTEIO, call + ": connection to the vAccel agent lost: " + e.statusMessage(), e);
        }
        if (e instanceof TtrpcTimeoutException) {
            return new VaccelException.BackendException(Errno.EREMOTEIO, call + ": the vAccel agent did not answer in time", e);
        }
        if (e instanceof TtrpcStatusException s) {
            for (Any d : s.details()) {
                if (d.getTypeUrl().equals(AgentProtocol.ERROR_TYPE_URL)) {
                    try {
                        ErrorProto.Error err = ErrorProto.Error.parseFrom(d.getValue());
                        if (err.hasFfiError()) {
                            return new VaccelException(Errno.of(err.getFfiError()), call + ": agent: " + s.statusMessage(), e);
                        }
                    } catch (InvalidProtocolBufferException ignored) {
                        // fall through to the message and code
                    }
                }
            }
        }
        Matcher m = ERRNO.matcher(e.statusMessage() == null ? "" : e.statusMessage());
        if (m.find()) {
            return new VaccelException(Errno.of(Integer.parseInt(m.group(1))), call + ": agent: " + e.statusMessage(), e);
        }
        Errno errno = switch (e.code()) {
            case NOT_FOUND -> Errno.ENOENT;
            case INVALID_ARGUMENT -> Errno.EINVAL;
            case UNIMPLEMENTED -> Errno.ENOTSUP;
            case RESOURCE_EXHAUSTED -> Errno.ENOMEM;
            default -> Errno.EREMOTEIO;
        };
        return new VaccelException(errno, call + ": agent: " + e.getMessage(), e);
    }
}
