package io.jurunc.e2e.support;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A command that needs a terminal of its own ({@code ctr run -t}, {@code ctr task exec -t}: ctr puts its
 * stdin into raw mode and copies the task's pty through it): run under util-linux's {@code script}, which
 * gives it a pty, copies its output to ours and exits with its status ({@code -e}). The output has the
 * terminal's line endings ({@code \r\n}).
 */
public final class Terminal {
    private Terminal() {}

    /** {@code script -qec 'ARGV' /dev/null}, each argument quoted for the shell. */
    public static List<String> wrap(List<String> argv) {
        String line = argv.stream().map(Terminal::quote).collect(Collectors.joining(" "));
        return List.of("script", "-qec", line, "/dev/null");
    }

    /** As {@link #wrap(List)}, the terminal first set to {@code columns} x {@code rows} ({@code stty}). */
    public static List<String> wrap(List<String> argv, int columns, int rows) {
        String line = argv.stream().map(Terminal::quote).collect(Collectors.joining(" "));
        return List.of("script", "-qec", "stty cols " + columns + " rows " + rows + "; exec " + line, "/dev/null");
    }

    static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
