package io.jurunc.vaccel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgTest {
    @Test
    void scalarsAreLittleEndianWithTheirTypeSize() {
        Arg a = Arg.int32(0x01020304);
        assertThat(a.type()).isEqualTo(ArgType.INT32);
        assertThat(a.buffer()).containsExactly(4, 3, 2, 1);
        assertThat(a.asInt32()).isEqualTo(0x01020304);
        assertThat(Arg.float64(2.5).asFloat64()).isEqualTo(2.5);
        assertThat(Arg.int64(-7).asInt64()).isEqualTo(-7);
    }

    @Test
    void stringsCarryTheirNulTerminator() {
        Arg s = Arg.string("lib.so");
        assertThat(s.size()).isEqualTo(7);
        assertThat(s.buffer()[6]).isZero();
        assertThat(s.asString()).isEqualTo("lib.so");
    }

    @Test
    void arraysRoundTrip() {
        assertThat(Arg.float32Array(1f, 2f, 3f).asFloat32Array()).containsExactly(1f, 2f, 3f);
        assertThat(Arg.int64Array(5, 6).asInt64Array()).containsExactly(5L, 6L);
    }

    @Test
    void typeAndSizeAreChecked() {
        assertThatThrownBy(() -> Arg.string("x").asInt32())
                .isInstanceOf(VaccelException.InvalidArgumentException.class);
        assertThatThrownBy(() -> Arg.of(ArgType.INT32, new byte[3])).hasMessageContaining("must be 4 bytes");
        assertThatThrownBy(() -> Arg.of(ArgType.INT64_ARRAY, new byte[12])).hasMessageContaining("not a multiple of 8");
        assertThat(ArgType.fromWire(27)).isEqualTo(ArgType.STRING);
        assertThat(ArgType.CUSTOM.wire()).isEqualTo(29);
        assertThatThrownBy(() -> ArgType.fromWire(30)).isInstanceOf(VaccelException.class);
    }

    @Test
    void readerStopsAtTheEndWithErange() {
        ArgReader r = new ArgReader(List.of(Arg.uint8(3), Arg.string("a")));
        assertThat(r.next(ArgType.UINT8).asUint8()).isEqualTo((byte) 3);
        assertThat(r.nextString()).isEqualTo("a");
        assertThatThrownBy(r::next)
                .isInstanceOfSatisfying(
                        VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ERANGE));
    }

    @Test
    void opNumbersFollowTheCurrentTable() {
        assertThat(OpType.EXEC.wire()).isEqualTo(1);
        assertThat(OpType.IMAGE_CLASSIFY.wire()).isEqualTo(3);
        assertThat(OpType.BLAS_SGEMM.wire()).isEqualTo(17);
        assertThat(OpType.OPENCV.wire()).isEqualTo(23);
        assertThat(Errno.EBACKEND.code()).isEqualTo(71);
        assertThat(Errno.ESESS.code()).isEqualTo(104);
    }
}
