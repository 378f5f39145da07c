package io.jurunc.shim.recovery;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The state directory of a node daemon run under {@code jurunc-shim-holder} ({@code <socket>.d}): the JVM's
 * command line ({@code cmdline}), its private task socket ({@code s}), the task journal ({@code tasks/}) and
 * the exits the holder reaped while no JVM ran ({@code exits/}). See {@code shim/src/main/c/shim-holder.c}.
 */
public record HolderDir(Path dir) {
    /** Set by the holder in the JVM's environment. */
    public static final String ENV = "JURUNC_SHIM_HOLDER_DIR";
    /** How many times the holder restarted the JVM (0: the first daemon JVM). */
    public static final String RESTARTS_ENV = "JURUNC_SHIM_RESTARTS";

    public HolderDir {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException("holder directory " + dir + " is not absolute");
        }
    }

    /** The directory of the holder in front of {@code socket}. */
    public static HolderDir forSocket(Path socket) {
        return new HolderDir(socket.resolveSibling(socket.getFileName() + ".d"));
    }

    public static Optional<HolderDir> fromEnv(Map<String, String> env) {
        String d = env.getOrDefault(ENV, "");
        return d.isEmpty() ? Optional.empty() : Optional.of(new HolderDir(Path.of(d)));
    }

    /** Whether this JVM is a restart after a crash (its log is appended to, not truncated). */
    public static boolean restarted(Map<String, String> env) {
        String r = env.getOrDefault(RESTARTS_ENV, "0");
        return !r.equals("0") && !r.isEmpty();
    }

    public Path privateSocket() {
        return dir.resolve("s");
    }

    public Path cmdline() {
        return dir.resolve("cmdline");
    }

    public Path tasks() {
        return dir.resolve("tasks");
    }

    public Path exits() {
        return dir.resolve("exits");
    }
}
