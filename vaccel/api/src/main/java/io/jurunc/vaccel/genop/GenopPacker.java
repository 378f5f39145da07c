package io.jurunc.vaccel.genop;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Sgemm;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs typed ops into vAccel's genop layouts (a leading UINT8 op type, then the op's read args; the
 * op's write args), as the RPC plugin sends them. The layouts are those of vAccel's {@code *_unpack}.
 */
public final class GenopPacker {
    /** Output buffer size for image op strings, as vAccel's agent uses. */
    public static final int IMAGE_OUT_LEN = 1024;

    private GenopPacker() {}

    public static Packed noop() {
        return new Packed(List.of(Arg.uint8(OpType.NOOP.wire())), List.of());
    }

    public static Packed exec(ExecCall call) {
        List<Arg> read = new ArrayList<>();
        read.add(Arg.uint8(OpType.EXEC.wire()));
        read.add(Arg.string(call.library()));
        read.add(Arg.string(call.symbol()));
        read.addAll(call.read());
        return new Packed(read, call.write());
    }

    /** {@code resourceId} must be the id on the side that unpacks (the agent's id for a remote session). */
    public static Packed execWithResource(long resourceId, ExecCall call) {
        List<Arg> read = new ArrayList<>();
        read.add(Arg.uint8(OpType.EXEC_WITH_RESOURCE.wire()));
        read.add(Arg.int64(resourceId));
        read.add(Arg.string(call.symbol()));
        read.addAll(call.read());
        return new Packed(read, call.write());
    }

    /** read: op, BUFFER image; write: UCHAR_ARRAY out_imgname, plus UCHAR_ARRAY out_text for classify. */
    public static Packed image(OpType op, byte[] image) {
        List<Arg> write = new ArrayList<>();
        write.add(Arg.ucharArray(IMAGE_OUT_LEN));
        if (op == OpType.IMAGE_CLASSIFY) {
            write.add(Arg.ucharArray(IMAGE_OUT_LEN));
        }
        return new Packed(List.of(Arg.uint8(op.wire()), Arg.buffer(image)), write);
    }

    /** read (10): m n k alpha a lda b ldb beta ldc; write (1): c (current contents, updated in place). */
    public static Packed sgemm(Sgemm s) {
        List<Arg> read = List.of(
                Arg.uint8(OpType.BLAS_SGEMM.wire()),
                Arg.int64(s.m()),
                Arg.int64(s.n()),
                Arg.int64(s.k()),
                Arg.float32(s.alpha()),
                Arg.float32Array(s.a()),
                Arg.int64(s.lda()),
                Arg.float32Array(s.b()),
                Arg.int64(s.ldb()),
                Arg.float32(s.beta()),
                Arg.int64(s.ldc()));
        return new Packed(read, List.of(Arg.float32Array(s.c())));
    }

    /** Copies a genop sgemm result back into the caller's C matrix. */
    public static void sgemmResult(Packed p, float[] c) {
        Arg out = p.write().getFirst();
        if (out.type() != ArgType.FLOAT32_ARRAY) {
            throw new io.jurunc.vaccel.VaccelException.BackendException("sgemm result is " + out.type());
        }
        float[] r = out.asFloat32Array();
        System.arraycopy(r, 0, c, 0, Math.min(r.length, c.length));
    }

    /** read: op, FLOAT64_ARRAY indata, INT32 ndata, INT32 low, INT32 high; write: FLOAT64_ARRAY outdata, FLOAT64 min, FLOAT64 max. */
    public static Packed minmax(io.jurunc.vaccel.MinMax m) {
        List<Arg> read = List.of(
                Arg.uint8(OpType.MINMAX.wire()),
                Arg.float64Array(m.in()),
                Arg.int32(m.in().length),
                Arg.int32(m.lowThreshold()),
                Arg.int32(m.highThreshold()));
        return new Packed(
                read, List.of(Arg.output(ArgType.FLOAT64_ARRAY, m.in().length * 8), Arg.float64(0), Arg.float64(0)));
    }

    /** Copies a genop minmax result into {@code m.out()} and returns min and max. */
    public static io.jurunc.vaccel.MinMax.Result minmaxResult(Packed p, io.jurunc.vaccel.MinMax m) {
        double[] out = p.write().get(0).asFloat64Array();
        System.arraycopy(out, 0, m.out(), 0, Math.min(out.length, m.out().length));
        return new io.jurunc.vaccel.MinMax.Result(
                p.write().get(1).asFloat64(), p.write().get(2).asFloat64());
    }

    /** An FPGA op or opencv: the op type, then the caller's args as they are. */
    public static Packed generic(OpType op, List<Arg> read, List<Arg> write) {
        List<Arg> all = new ArrayList<>();
        all.add(Arg.uint8(op.wire()));
        all.addAll(read);
        return new Packed(all, write);
    }
}
