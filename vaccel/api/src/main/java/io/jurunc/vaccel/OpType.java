package io.jurunc.vaccel;

/**
 * vAccel op types, in the current numbering (vaccel commit 81fdf04, 2025-07-19), which is what genop's
 * leading {@code uint8} carries on the wire. The v0.7.1 numbering differs; see {@link #WIRE_VERSION}.
 */
public enum OpType {
    NOOP,
    EXEC,
    EXEC_WITH_RESOURCE,
    IMAGE_CLASSIFY,
    IMAGE_DETECT,
    IMAGE_SEGMENT,
    IMAGE_POSE,
    IMAGE_DEPTH,
    TF_MODEL_LOAD,
    TF_MODEL_UNLOAD,
    TF_MODEL_RUN,
    TFLITE_MODEL_LOAD,
    TFLITE_MODEL_UNLOAD,
    TFLITE_MODEL_RUN,
    TORCH_MODEL_LOAD,
    TORCH_MODEL_RUN,
    TORCH_SGEMM,
    BLAS_SGEMM,
    FPGA_ARRAYCOPY,
    FPGA_MMULT,
    FPGA_PARALLEL,
    FPGA_VECTORADD,
    MINMAX,
    OPENCV;

    /** The op numbering this enum follows ("vaccel ops v2": post-81fdf04). */
    public static final int WIRE_VERSION = 2;

    public int wire() {
        return ordinal();
    }

    public boolean isImageOp() {
        return this == IMAGE_CLASSIFY
                || this == IMAGE_DETECT
                || this == IMAGE_SEGMENT
                || this == IMAGE_POSE
                || this == IMAGE_DEPTH;
    }

    /** vAccel's lower-case op name, e.g. {@code image_classify}, used in logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code values()} copies the array at every call; wire values are decoded for every op. */
    private static final OpType[] BY_WIRE = values();

    public static OpType fromWire(int value) {
        OpType[] all = BY_WIRE;
        if (value < 0 || value >= all.length) {
            throw new VaccelException.InvalidArgumentException(
                    "unknown vAccel op type " + value + " (valid: 0.." + (all.length - 1) + ")");
        }
        return all[value];
    }
}
