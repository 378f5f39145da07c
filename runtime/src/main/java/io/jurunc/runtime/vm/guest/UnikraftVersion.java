package io.jurunc.runtime.vm.guest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Unikraft command-line form a {@code com.urunc.unikernel.unikernelVersion} selects: {@link
 * Form#LEGACY} below 0.16.1, {@link Form#CURRENT} from 0.16.1 on and for a missing or unparsable
 * version (urunc logs an error and uses the current form; {@link #note()} carries that text).
 */
public record UnikraftVersion(Form form, Optional<String> note) {
    public enum Form {
        LEGACY,
        CURRENT
    }

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?.*");

    public static UnikraftVersion of(Optional<String> version) {
        if (version.isEmpty() || version.get().isBlank()) {
            return new UnikraftVersion(Form.CURRENT, Optional.empty());
        }
        Matcher m = VERSION.matcher(version.get().trim());
        if (!m.matches()) {
            return new UnikraftVersion(
                    Form.CURRENT,
                    Optional.of("unikraft version '"
                            + version.get()
                            + "' is not a version number; using the current (>= 0.16.1) command line"));
        }
        int[] v = {part(m.group(1)), part(m.group(2)), part(m.group(3))};
        int[] pivot = {0, 16, 1};
        for (int i = 0; i < 3; i++) {
            if (v[i] != pivot[i]) {
                return new UnikraftVersion(v[i] < pivot[i] ? Form.LEGACY : Form.CURRENT, Optional.empty());
            }
        }
        return new UnikraftVersion(Form.CURRENT, Optional.empty());
    }

    private static int part(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
