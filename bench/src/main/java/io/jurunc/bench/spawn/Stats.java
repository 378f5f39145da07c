package io.jurunc.bench.spawn;

import java.util.Collection;
import java.util.OptionalDouble;

/** Small statistics over samples. */
public final class Stats {
    private Stats() {}

    /** The median (mean of the two middle values for an even count); empty for no values. */
    public static OptionalDouble median(Collection<? extends Number> values) {
        double[] v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return OptionalDouble.empty();
        }
        int mid = v.length / 2;
        return OptionalDouble.of(v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2);
    }
}
