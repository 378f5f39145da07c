package io.jurunc.runtime.vm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The guest kinds jurunc boots, named as in {@code com.urunc.unikernel.unikernelType}. */
public enum GuestType {
    LINUX("linux"),
    UNIKRAFT("unikraft"),
    RUMPRUN("rumprun"),
    MIRAGE("mirage"),
    MEWZ("mewz"),
    HERMIT("hermit");

    private final String key;

    GuestType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Parses an annotation value; throws with the list of accepted values. */
    public static GuestType parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (GuestType t : values()) {
            if (t.key.equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown unikernel type '" + value + "'; expected one of "
                + Arrays.stream(values()).map(GuestType::key).collect(Collectors.joining(", ")));
    }
}
