package io.jurunc.vaccel;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Unpacks a genop (vAccel's {@code *_unpack}) into the typed op on the session, then writes the typed
 * results into the write args. Ops without a genop layout (model load/run) are {@code ENOTSUP}.
 */
final class GenopUnpacker {
    private GenopUnpacker() {}

    static void dispatch(Session session, List<Arg> read, List<Arg> write) {
        if (read.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("genop needs at least one read arg (the UINT8 op type)");
        }
        ArgReader r = new ArgReader(read);
        Arg opArg = r.next(ArgType.UINT8);
        OpType op = OpType.fromWire(Byte.toUnsignedInt(opArg.asUint8()));
        switch (op) {
            case NOOP -> session.noop();
            case EXEC -> {
                String lib = r.nextString();
                String sym = r.nextString();
                session.exec(lib, sym, r.rest(), write);
            }
            case EXEC_WITH_RESOURCE -> {
                long id = r.nextInt64();
                String sym = r.nextString();
                Resource res = session.vaccel()
                        .resource(id)
                        .orElseThrow(
                                () -> new VaccelException(Errno.ENOENT, "exec_with_resource: unknown resource " + id));
                session.execWithResource(res, sym, r.rest(), write);
            }
            case IMAGE_CLASSIFY, IMAGE_DETECT, IMAGE_SEGMENT, IMAGE_POSE, IMAGE_DEPTH -> image(session, op, r, write);
            case BLAS_SGEMM -> sgemm(session, r, write);
            case MINMAX -> minmax(session, r, write);
            case FPGA_ARRAYCOPY, FPGA_MMULT, FPGA_PARALLEL, FPGA_VECTORADD -> session.fpga(op, r.rest(), write);
            case OPENCV -> session.opencv(r.rest(), write);
            default ->
                throw new VaccelException.UnsupportedOpException(
                        "op " + op.label() + " cannot be called through genop");
        }
    }

    private static void image(Session session, OpType op, ArgReader r, List<Arg> write) {
        byte[] img = r.next(ArgType.BUFFER).buffer();
        if (write.isEmpty()) {
            throw new VaccelException.InvalidArgumentException(op.label() + " genop needs an out_imgname write arg");
        }
        ImageResult res = session.image(op, img);
        putText(write.get(0), res.imgname());
        if (op == OpType.IMAGE_CLASSIFY && write.size() > 1) {
            putText(write.get(1), res.tags());
        }
    }

    /** strncpy-like: the text, NUL-terminated when it fits, truncated to the buffer. */
    static void putText(Arg out, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] buf = out.buffer();
        int n = Math.min(t.length, buf.length);
        System.arraycopy(t, 0, buf, 0, n);
        if (n < buf.length) {
            buf[n] = 0;
        }
    }

    /** read: FLOAT64_ARRAY indata, INT32 ndata, INT32 low, INT32 high; write: FLOAT64_ARRAY outdata, FLOAT64 min, FLOAT64 max. */
    private static void minmax(Session session, ArgReader r, List<Arg> write) {
        double[] in = r.next(ArgType.FLOAT64_ARRAY).asFloat64Array();
        int ndata = r.next(ArgType.INT32).asInt32();
        int low = r.next(ArgType.INT32).asInt32();
        int high = r.next(ArgType.INT32).asInt32();
        if (r.remaining() > 0) {
            throw new VaccelException.InvalidArgumentException("Wrong number of read arguments in minmax: more than 4");
        }
        if (write.size() != 3
                || write.get(0).type() != ArgType.FLOAT64_ARRAY
                || write.get(1).type() != ArgType.FLOAT64
                || write.get(2).type() != ArgType.FLOAT64) {
            throw new VaccelException.InvalidArgumentException(
                    "minmax genop needs write args FLOAT64_ARRAY outdata, FLOAT64 min, FLOAT64 max");
        }
        if (ndata < 0 || ndata > in.length || write.get(0).size() < ndata * 8L) {
            throw new VaccelException.InvalidArgumentException("minmax ndata " + ndata + " does not fit its buffers");
        }
        double[] out = new double[ndata];
        MinMax.Result res = session.minmax(new MinMax(java.util.Arrays.copyOf(in, ndata), low, high, out));
        java.nio.ByteBuffer.wrap(write.get(0).buffer())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asDoubleBuffer()
                .put(out);
        java.nio.ByteBuffer.wrap(write.get(1).buffer())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble(0, res.min());
        java.nio.ByteBuffer.wrap(write.get(2).buffer())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble(0, res.max());
    }

    private static void sgemm(Session session, ArgReader r, List<Arg> write) {
        long m = r.nextInt64();
        long n = r.nextInt64();
        long k = r.nextInt64();
        float alpha = r.nextFloat32();
        float[] a = r.nextFloat32Array();
        long lda = r.nextInt64();
        float[] b = r.nextFloat32Array();
        long ldb = r.nextInt64();
        float beta = r.nextFloat32();
        long ldc = r.nextInt64();
        if (write.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("sgemm genop needs the C matrix as write arg");
        }
        Arg cArg = write.getFirst();
        float[] c = cArg.asFloat32Array();
        session.sgemm(new Sgemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
        java.nio.ByteBuffer.wrap(cArg.buffer())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .put(c);
    }
}
