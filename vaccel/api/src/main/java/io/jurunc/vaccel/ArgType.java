package io.jurunc.vaccel;

/** vAccel's argument types. The ordinal is the wire number (vaccel {@code arg.h}, {@code genop.ArgType}). */
public enum ArgType {
    RAW(1),
    INT8(1),
    INT8_ARRAY(1),
    INT16(2),
    INT16_ARRAY(2),
    INT32(4),
    INT32_ARRAY(4),
    INT64(8),
    INT64_ARRAY(8),
    UINT8(1),
    UINT8_ARRAY(1),
    UINT16(2),
    UINT16_ARRAY(2),
    UINT32(4),
    UINT32_ARRAY(4),
    UINT64(8),
    UINT64_ARRAY(8),
    FLOAT32(4),
    FLOAT32_ARRAY(4),
    FLOAT64(8),
    FLOAT64_ARRAY(8),
    BOOL(1),
    BOOL_ARRAY(1),
    CHAR(1),
    CHAR_ARRAY(1),
    UCHAR(1),
    UCHAR_ARRAY(1),
    STRING(1),
    BUFFER(1),
    CUSTOM(1);

    private final int elementSize;

    ArgType(int elementSize) {
        this.elementSize = elementSize;
    }

    /** Bytes per element (1 for byte-like and opaque types). */
    public int elementSize() {
        return elementSize;
    }

    public int wire() {
        return ordinal();
    }

    /** True for the scalar numeric types, whose size must equal {@link #elementSize()}. */
    public boolean isScalar() {
        return ordinal() >= INT8.ordinal() && ordinal() <= UCHAR.ordinal() && !name().endsWith("_ARRAY");
    }

    public boolean isArray() {
        return name().endsWith("_ARRAY");
    }

    /** {@code values()} copies the array at every call; wire values are decoded for every op. */
    private static final ArgType[] BY_WIRE = values();

    public static ArgType fromWire(int value) {
        ArgType[] all = BY_WIRE;
        if (value < 0 || value >= all.length) {
            throw new VaccelException.InvalidArgumentException(
                    "unknown vAccel arg type " + value + " (valid: 0.." + (all.length - 1) + ")");
        }
        return all[value];
    }
}
