package io.jurunc.vaccel;

import java.util.Objects;

/**
 * vAccel's (deprecated) {@code vaccel_minmax(sess, indata, ndata, low_threshold, high_threshold, outdata, min, max)}.
 * {@code out} (same length as {@code in}) is written by the plugin; the result carries min and max.
 */
public record MinMax(double[] in, int lowThreshold, int highThreshold, double[] out) {
    public MinMax {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (out.length < in.length) {
            throw new VaccelException.InvalidArgumentException(
                    "minmax output holds " + out.length + " values, input has " + in.length);
        }
    }

    /** What minmax returns besides {@code out}. */
    public record Result(double min, double max) {}
}
