package io.jurunc.vaccel;

/** vAccel log levels (1=ERROR .. 4=DEBUG). */
public enum LogLevel {
    ERROR(1),
    WARN(2),
    INFO(3),
    DEBUG(4);

    private final int value;

    LogLevel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static LogLevel of(long v) {
        for (LogLevel l : values()) {
            if (l.value == v) {
                return l;
            }
        }
        throw new VaccelException.InvalidArgumentException("log level must be 1 (error) .. 4 (debug), got " + v);
    }
}
