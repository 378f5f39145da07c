package io.jurunc.vaccel;

/** vAccel resource types; the ordinal is the wire value ({@code resource.ResourceType}). */
public enum ResourceType {
    LIB,
    DATA,
    MODEL;

    public static ResourceType fromWire(int v) {
        if (v < 0 || v >= values().length) {
            throw new VaccelException.InvalidArgumentException(
                    "unknown resource type " + v + " (LIB=0, DATA=1, MODEL=2)");
        }
        return values()[v];
    }
}
