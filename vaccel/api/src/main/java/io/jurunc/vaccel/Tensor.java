package io.jurunc.vaccel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor: element type, dimensions and little-endian data. The data array is owned by the
 * tensor (not copied, for large inputs): do not change it after building the tensor.
 */
public record Tensor(DataType type, long[] dims, byte[] data) {
    public Tensor {
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
        Objects.requireNonNull(data, "data");
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new VaccelException.InvalidArgumentException(
                        "negative tensor dimension in " + Arrays.toString(dims));
            }
            count *= d;
        }
        if (type != DataType.STRING && count * type.elementSize() != data.length) {
            throw new VaccelException.InvalidArgumentException("tensor " + type + Arrays.toString(dims) + " needs "
                    + count * type.elementSize() + " bytes, got " + data.length);
        }
    }

    public static Tensor ofFloats(long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DataType.FLOAT, dims, b.array());
    }

    public static Tensor ofLongs(long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(DataType.INT64, dims, b.array());
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public float[] asFloats() {
        if (type != DataType.FLOAT) {
            throw new VaccelException.InvalidArgumentException("tensor is " + type + ", not FLOAT");
        }
        float[] out = new float[data.length / 4];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.type == type && Arrays.equals(t.dims, dims) && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(dims), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Tensor[" + type + Arrays.toString(dims) + ", " + data.length + " bytes]";
    }
}
