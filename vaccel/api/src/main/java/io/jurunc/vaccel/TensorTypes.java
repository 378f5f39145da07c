package io.jurunc.vaccel;

/**
 * The element-type numberings of vAccel's TensorFlow Lite ({@code TfLiteType}: NOTYPE=0, FLOAT32=1 ...
 * INT4=18) and Torch (BYTE=1, CHAR=2, SHORT=3, INT=4, LONG=5, HALF=6, FLOAT=7) tensors, mapped to and from
 * {@link DataType}, which every Java tensor carries. Types with no {@link DataType} counterpart (TFLite
 * NOTYPE and INT4) are refused with {@code EINVAL}.
 */
public final class TensorTypes {
    private static final DataType[] TFLITE = {
        null,
        DataType.FLOAT,
        DataType.INT32,
        DataType.UINT8,
        DataType.INT64,
        DataType.STRING,
        DataType.BOOL,
        DataType.INT16,
        DataType.COMPLEX64,
        DataType.INT8,
        DataType.HALF,
        DataType.DOUBLE,
        DataType.COMPLEX128,
        DataType.UINT64,
        DataType.RESOURCE,
        DataType.VARIANT,
        DataType.UINT32,
        DataType.UINT16,
        null,
    };
    private static final DataType[] TORCH = {
        null,
        DataType.UINT8,
        DataType.INT8,
        DataType.INT16,
        DataType.INT32,
        DataType.INT64,
        DataType.HALF,
        DataType.FLOAT,
    };

    private TensorTypes() {}

    /** The type of a vAccel TFLite type code (C numbering). */
    public static DataType fromTflite(int code) {
        return lookup(TFLITE, code, "TensorFlow Lite");
    }

    public static int toTflite(DataType type) {
        return reverse(TFLITE, type, "TensorFlow Lite");
    }

    /** The type of a vAccel Torch type code. */
    public static DataType fromTorch(int code) {
        return lookup(TORCH, code, "Torch");
    }

    public static int toTorch(DataType type) {
        return reverse(TORCH, type, "Torch");
    }

    private static DataType lookup(DataType[] table, int code, String framework) {
        if (code < 0 || code >= table.length || table[code] == null) {
            throw new VaccelException.InvalidArgumentException(
                    framework + " tensor type " + code + " is not supported");
        }
        return table[code];
    }

    private static int reverse(DataType[] table, DataType type, String framework) {
        for (int i = 0; i < table.length; i++) {
            if (table[i] == type) {
                return i;
            }
        }
        throw new VaccelException.InvalidArgumentException(framework + " has no tensor type for " + type);
    }
}
