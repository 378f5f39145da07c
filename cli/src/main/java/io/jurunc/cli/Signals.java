package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as runc accepts them (TERM, SIGTERM, 15). */
final class Signals {
    private Signals() {}

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1),
            Map.entry("INT", 2),
            Map.entry("QUIT", 3),
            Map.entry("ILL", 4),
            Map.entry("TRAP", 5),
            Map.entry("ABRT", 6),
            Map.entry("IOT", 6),
            Map.entry("BUS", 7),
            Map.entry("FPE", 8),
            Map.entry("KILL", 9),
            Map.entry("USR1", 10),
            Map.entry("SEGV", 11),
            Map.entry("USR2", 12),
            Map.entry("PIPE", 13),
            Map.entry("ALRM", 14),
            Map.entry("TERM", 15),
            Map.entry("STKFLT", 16),
            Map.entry("CHLD", 17),
            Map.entry("CONT", 18),
            Map.entry("STOP", 19),
            Map.entry("TSTP", 20),
            Map.entry("TTIN", 21),
            Map.entry("TTOU", 22),
            Map.entry("URG", 23),
            Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26),
            Map.entry("PROF", 27),
            Map.entry("WINCH", 28),
            Map.entry("IO", 29),
            Map.entry("PWR", 30),
            Map.entry("SYS", 31));

    static int parse(String s) throws JuruncException {
        String v = s.trim().toUpperCase(Locale.ROOT);
        if (v.startsWith("SIG")) v = v.substring(3);
        Integer n = NUMBERS.get(v);
        if (n != null) return n;
        try {
            int num = Integer.parseInt(v);
            if (num > 0 && num <= 64) return num;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new JuruncCommand.UsageException("unknown signal '" + s + "': use a name such as TERM or a number 1-64");
    }
}
