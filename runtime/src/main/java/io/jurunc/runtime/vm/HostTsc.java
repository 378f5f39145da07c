package io.jurunc.runtime.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * The host's TSC frequency in kHz, from /proc/cpuinfo: "cpu MHz" × 1000, trusted only when the
 * CPU flags say the TSC is constant and its frequency known ({@code constant_tsc}, {@code
 * tsc_known_freq}). Under TCG the guest TSC runs at the host TSC's rate, so this is the right
 * {@code tsc_early_khz} for a guest (docs/guest.md).
 */
public final class HostTsc {
    static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private HostTsc() {}

    /** Reads this host's value; empty when unknown or unreadable. */
    public static OptionalLong read() {
        try {
            return parse(Files.readString(CPUINFO));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses the first CPU's block of a /proc/cpuinfo text. */
    public static OptionalLong parse(String cpuinfo) {
        String mhz = null;
        List<String> flags = List.of();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("cpu MHz")) {
                mhz = value;
            } else if (key.equals("flags")) {
                flags = Arrays.asList(value.split("\\s+"));
            }
        }
        if (mhz == null || !flags.contains("constant_tsc") || !flags.contains("tsc_known_freq")) {
            return OptionalLong.empty();
        }
        try {
            long khz = Math.round(Double.parseDouble(mhz) * 1000);
            return khz > 0 ? OptionalLong.of(khz) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
