package io.jurunc.bench.spawn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jurunc guest init's timing lines on a console ({@code jurunc-init: started at uptime X.XXX},
 * printed with {@code jurunc.timestamps=1} or {@code jurunc.debug=1} on the kernel cmdline).
 */
public final class GuestConsole {
    private static final Pattern STARTED = Pattern.compile("jurunc-init: started at uptime (\\d+\\.\\d+)");

    private GuestConsole() {}

    /** Guest uptime in milliseconds when the init started: the guest kernel's boot time. */
    public static OptionalDouble initStartMs(String console) {
        Matcher m = STARTED.matcher(console);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1)) * 1000) : OptionalDouble.empty();
    }

    /** As {@link #initStartMs(String)}, for a console file; empty when it is missing. */
    public static OptionalDouble initStartMs(Path file) {
        try {
            return Files.exists(file)
                    ? initStartMs(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                    : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }
}
