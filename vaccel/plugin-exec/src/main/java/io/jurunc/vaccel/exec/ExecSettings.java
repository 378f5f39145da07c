package io.jurunc.vaccel.exec;

import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import java.util.Locale;

/**
 * The exec plugin's settings: {@code VACCEL_EXEC_DLOPEN_MODE} ({@code lazy}/{@code now}, default now) and
 * {@code VACCEL_EXEC_DLCLOSE_ENABLED} (deprecated {@code VACCEL_EXEC_DLCLOSE}): close libraries after each
 * exec (default false). exec_with_resource always closes its libraries when the resource is unregistered.
 * {@code VACCEL_EXEC_LIBRARY_DIRS}: colon-separated directories libraries must lie in (see {@link #allows}).
 * {@code VACCEL_EXEC_FPGA_LIBRARY}: an absolute path to a library that serves the FPGA ops (see {@link ExecPlugin}).
 */
record ExecSettings(
        DynamicLoader.Mode mode,
        boolean dlcloseAfterExec,
        java.util.Optional<java.nio.file.Path> fpgaLibrary,
        java.util.Optional<java.util.List<java.nio.file.Path>> libraryDirs) {
    /**
     * Whether {@code library} may be opened: any path when {@code VACCEL_EXEC_LIBRARY_DIRS} is unset; else
     * only a file whose real path lies inside one of those directories (an empty value allows none; the
     * agent sets it so that clients cannot make it load arbitrary host files or the libraries they upload).
     */
    boolean allows(java.nio.file.Path library) {
        if (libraryDirs.isEmpty()) {
            return true;
        }
        try {
            java.nio.file.Path real = library.toRealPath();
            return libraryDirs.get().stream().anyMatch(d -> real.startsWith(d) && !real.equals(d));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static ExecSettings from(VaccelConfig config) {
        String m = config.envOr("VACCEL_EXEC_DLOPEN_MODE", "now").trim().toLowerCase(Locale.ROOT);
        DynamicLoader.Mode mode = switch (m) {
            case "lazy" -> DynamicLoader.Mode.LAZY;
            case "now", "" -> DynamicLoader.Mode.NOW;
            default ->
                throw new VaccelException.InvalidArgumentException(
                        "VACCEL_EXEC_DLOPEN_MODE='" + m + "' must be lazy or now");
        };
        String key = config.env().containsKey("VACCEL_EXEC_DLCLOSE_ENABLED")
                ? "VACCEL_EXEC_DLCLOSE_ENABLED"
                : "VACCEL_EXEC_DLCLOSE";
        String fpga = config.envOr("VACCEL_EXEC_FPGA_LIBRARY", "").trim();
        if (!fpga.isEmpty() && !fpga.startsWith("/")) {
            throw new VaccelException.InvalidArgumentException(
                    "VACCEL_EXEC_FPGA_LIBRARY='" + fpga + "' must be an absolute path");
        }
        java.util.Optional<java.util.List<java.nio.file.Path>> dirs = java.util.Optional.empty();
        String allowed = config.env().get("VACCEL_EXEC_LIBRARY_DIRS");
        if (allowed != null) {
            java.util.List<java.nio.file.Path> list = new java.util.ArrayList<>();
            for (String d : allowed.split(":")) {
                if (d.isBlank()) {
                    continue;
                }
                try {
                    list.add(java.nio.file.Path.of(d.strip()).toRealPath());
                } catch (java.io.IOException e) {
                    throw new VaccelException.InvalidArgumentException(
                            "VACCEL_EXEC_LIBRARY_DIRS: " + d + ": " + e.getMessage());
                }
            }
            dirs = java.util.Optional.of(java.util.List.copyOf(list));
        }
        return new ExecSettings(
                mode,
                config.envFlag(key, false),
                fpga.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(fpga)),
                dirs);
    }
}
