package io.jurunc.vaccel;

/**
 * Tensor element types of vAccel's generic model ops, numbered like {@code TF_DataType} (and the wire's
 * {@code tf.DataType}, where 0 is UNUSED).
 */
public enum DataType {
    FLOAT(1, 4),
    DOUBLE(2, 8),
    INT32(3, 4),
    UINT8(4, 1),
    INT16(5, 2),
    INT8(6, 1),
    STRING(7, 1),
    COMPLEX64(8, 8),
    INT64(9, 8),
    BOOL(10, 1),
    QINT8(11, 1),
    QUINT8(12, 1),
    QINT32(13, 4),
    BFLOAT16(14, 2),
    QINT16(15, 2),
    QUINT16(16, 2),
    UINT16(17, 2),
    COMPLEX128(18, 16),
    HALF(19, 2),
    RESOURCE(20, 1),
    VARIANT(21, 1),
    UINT32(22, 4),
    UINT64(23, 8);

    private final int code;
    private final int size;

    DataType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    public int code() {
        return code;
    }

    public int elementSize() {
        return size;
    }

    public static DataType of(int code) {
        for (DataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new VaccelException.InvalidArgumentException("unknown tensor data type " + code);
    }
}
