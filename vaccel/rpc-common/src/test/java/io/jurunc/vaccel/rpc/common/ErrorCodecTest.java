package io.jurunc.vaccel.rpc.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcConnectionException;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.TtrpcStatusException;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.VaccelException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorCodecTest {
    @Test
    void vaccelErrorsTravelAsTheProtoErrorDetail() {
        TtrpcException s = ErrorCodec.toStatus(new VaccelException(Errno.ENOSYS, "symbol f not found"));
        assertThat(s.code()).isEqualTo(StatusCode.INTERNAL);
        assertThat(s.statusMessage()).startsWith("symbol f not found");
        TtrpcStatusException remote = (TtrpcStatusException) s;
        assertThat(remote.details())
                .singleElement()
                .satisfies(d -> assertThat(d.getTypeUrl()).isEqualTo(AgentProtocol.ERROR_TYPE_URL));
        assertThat(ErrorCodec.fromStatus("Genop", remote).errno()).isEqualTo(Errno.ENOSYS);
    }

    @Test
    void everyFailureWithoutAnErrnoIsEbackendAsInVaccel() {
        // the errno is never guessed from the message text or the status code
        assertThat(ErrorCodec.fromStatus("x", new TtrpcStatusException(StatusCode.INTERNAL, "[errno 38] x", List.of()))
                        .errno())
                .isEqualTo(Errno.EBACKEND);
        assertThat(ErrorCodec.fromStatus(
                                "x", new TtrpcStatusException(StatusCode.NOT_FOUND, "Unknown session 3", List.of()))
                        .errno())
                .isEqualTo(Errno.EBACKEND);
        assertThat(ErrorCodec.fromStatus(
                                "x",
                                new TtrpcStatusException(StatusCode.INVALID_ARGUMENT, "/a/b does not exist", List.of()))
                        .errno())
                .isEqualTo(Errno.EBACKEND);
        assertThat(ErrorCodec.fromStatus("x", new TtrpcConnectionException("gone")))
                .isInstanceOf(VaccelException.BackendException.class)
                .satisfies(e -> assertThat(e.errno()).isEqualTo(Errno.EBACKEND));
    }
}
