package io.jurunc.vaccel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One vAccel argument ({@code struct vaccel_arg}): a byte buffer, its type and a custom type id.
 * Values are stored in native (little-endian) byte order, strings with their NUL terminator, exactly as
 * a C plugin or the RPC agent sees them. A read argument is never modified; a write argument's buffer is
 * filled in place by the plugin ({@link #fill(byte[])}), so the caller reads results from the same object.
 */
public final class Arg {
    private final ArgType type;
    private final int customTypeId;
    private final byte[] buf;

    private Arg(ArgType type, int customTypeId, byte[] buf) {
        this.type = type;
        this.customTypeId = customTypeId;
        this.buf = buf;
    }

    /** An argument over the given bytes (not copied), validating that the size fits the type. */
    public static Arg of(ArgType type, byte[] buf, int customTypeId) {
        if (type == null || buf == null) {
            throw new VaccelException.InvalidArgumentException("arg type and buffer must be set");
        }
        if (type.isScalar() && buf.length != type.elementSize()) {
            throw new VaccelException.InvalidArgumentException(
                    type + " arg must be " + type.elementSize() + " bytes, got " + buf.length);
        }
        if (type.isArray() && buf.length % type.elementSize() != 0) {
            throw new VaccelException.InvalidArgumentException(
                    type + " arg size " + buf.length + " is not a multiple of " + type.elementSize());
        }
        return new Arg(type, customTypeId, buf);
    }

    public static Arg of(ArgType type, byte[] buf) {
        return of(type, buf, 0);
    }

    /** A zero-filled output argument of {@code size} bytes. */
    public static Arg output(ArgType type, int size) {
        return of(type, new byte[size]);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static Arg int8(byte v) {
        return new Arg(ArgType.INT8, 0, new byte[] {v});
    }

    public static Arg uint8(int v) {
        return new Arg(ArgType.UINT8, 0, new byte[] {(byte) v});
    }

    public static Arg int16(short v) {
        return new Arg(ArgType.INT16, 0, le(2).putShort(v).array());
    }

    public static Arg int32(int v) {
        return new Arg(ArgType.INT32, 0, le(4).putInt(v).array());
    }

    public static Arg uint32(int v) {
        return new Arg(ArgType.UINT32, 0, le(4).putInt(v).array());
    }

    public static Arg int64(long v) {
        return new Arg(ArgType.INT64, 0, le(8).putLong(v).array());
    }

    public static Arg uint64(long v) {
        return new Arg(ArgType.UINT64, 0, le(8).putLong(v).array());
    }

    public static Arg float32(float v) {
        return new Arg(ArgType.FLOAT32, 0, le(4).putFloat(v).array());
    }

    public static Arg float64(double v) {
        return new Arg(ArgType.FLOAT64, 0, le(8).putDouble(v).array());
    }

    public static Arg bool(boolean v) {
        return new Arg(ArgType.BOOL, 0, new byte[] {(byte) (v ? 1 : 0)});
    }

    public static Arg int32Array(int... v) {
        ByteBuffer b = le(v.length * 4);
        b.asIntBuffer().put(v);
        return new Arg(ArgType.INT32_ARRAY, 0, b.array());
    }

    public static Arg int64Array(long... v) {
        ByteBuffer b = le(v.length * 8);
        b.asLongBuffer().put(v);
        return new Arg(ArgType.INT64_ARRAY, 0, b.array());
    }

    public static Arg float32Array(float... v) {
        ByteBuffer b = le(v.length * 4);
        b.asFloatBuffer().put(v);
        return new Arg(ArgType.FLOAT32_ARRAY, 0, b.array());
    }

    public static Arg float64Array(double... v) {
        ByteBuffer b = le(v.length * 8);
        b.asDoubleBuffer().put(v);
        return new Arg(ArgType.FLOAT64_ARRAY, 0, b.array());
    }

    public static Arg uint8Array(byte... v) {
        return new Arg(ArgType.UINT8_ARRAY, 0, v.clone());
    }

    public static Arg ucharArray(int size) {
        return new Arg(ArgType.UCHAR_ARRAY, 0, new byte[size]);
    }

    /** A NUL-terminated UTF-8 string (size = length + 1, as vAccel stores it). */
    public static Arg string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return new Arg(ArgType.STRING, 0, Arrays.copyOf(utf8, utf8.length + 1));
    }

    public static Arg buffer(byte[] data) {
        return new Arg(ArgType.BUFFER, 0, data);
    }

    public static Arg raw(byte[] data) {
        return new Arg(ArgType.RAW, 0, data);
    }

    public static Arg custom(int customTypeId, byte[] data) {
        return new Arg(ArgType.CUSTOM, customTypeId, data);
    }

    public ArgType type() {
        return type;
    }

    public int customTypeId() {
        return customTypeId;
    }

    public int size() {
        return buf.length;
    }

    /** The live buffer: for write args this is where results land. */
    public byte[] buffer() {
        return buf;
    }

    /** Copies {@code data} into this (write) argument, truncating to its size; returns the bytes copied. */
    public int fill(byte[] data) {
        int n = Math.min(data.length, buf.length);
        System.arraycopy(data, 0, buf, 0, n);
        return n;
    }

    private ByteBuffer view(ArgType expected) {
        if (type != expected) {
            throw new VaccelException.InvalidArgumentException("arg is " + type + ", not " + expected);
        }
        if (expected.isScalar() && buf.length != expected.elementSize()) {
            throw new VaccelException.InvalidArgumentException(expected + " arg has size " + buf.length);
        }
        return ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }

    public byte asUint8() {
        return view(ArgType.UINT8).get(0);
    }

    public byte asInt8() {
        return view(ArgType.INT8).get(0);
    }

    public int asInt32() {
        return view(ArgType.INT32).getInt(0);
    }

    public int asUint32() {
        return view(ArgType.UINT32).getInt(0);
    }

    public long asInt64() {
        return view(ArgType.INT64).getLong(0);
    }

    public long asUint64() {
        return view(ArgType.UINT64).getLong(0);
    }

    public float asFloat32() {
        return view(ArgType.FLOAT32).getFloat(0);
    }

    public double asFloat64() {
        return view(ArgType.FLOAT64).getDouble(0);
    }

    public boolean asBool() {
        return view(ArgType.BOOL).get(0) != 0;
    }

    public int[] asInt32Array() {
        int[] out = new int[buf.length / 4];
        view(ArgType.INT32_ARRAY).asIntBuffer().get(out);
        return out;
    }

    public long[] asInt64Array() {
        long[] out = new long[buf.length / 8];
        view(ArgType.INT64_ARRAY).asLongBuffer().get(out);
        return out;
    }

    public float[] asFloat32Array() {
        float[] out = new float[buf.length / 4];
        view(ArgType.FLOAT32_ARRAY).asFloatBuffer().get(out);
        return out;
    }

    public double[] asFloat64Array() {
        double[] out = new double[buf.length / 8];
        view(ArgType.FLOAT64_ARRAY).asDoubleBuffer().get(out);
        return out;
    }

    /** The text up to the first NUL (or the whole buffer); works for STRING, CHAR/UCHAR arrays and BUFFER. */
    public String asString() {
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Arg[" + type + ", size=" + buf.length + (type == ArgType.CUSTOM ? ", custom=" + customTypeId : "")
                + "]";
    }
}
