package io.jurunc.vaccel;

/** vAccel blob types; the ordinal is the wire value ({@code resource.BlobType}). */
public enum BlobType {
    FILE,
    BUFFER,
    MAPPED;

    public static BlobType fromWire(int v) {
        if (v < 0 || v >= values().length) {
            throw new VaccelException.InvalidArgumentException(
                    "unknown blob type " + v + " (FILE=0, BUFFER=1, MAPPED=2)");
        }
        return values()[v];
    }
}
