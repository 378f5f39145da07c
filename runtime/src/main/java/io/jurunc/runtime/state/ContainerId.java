package io.jurunc.runtime.state;

import java.util.regex.Pattern;

/** A validated container id: it becomes a directory name, so no path tricks get through. */
public record ContainerId(String value) {
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_+.-]{0,1023}$");

    public ContainerId {
        if (value == null || !VALID.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException("invalid container id '" + value
                    + "': use letters, digits, '_', '+', '-' and '.', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
