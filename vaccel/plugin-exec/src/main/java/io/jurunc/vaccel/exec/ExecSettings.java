package io.jurunc.vaccel.exec;

import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import java.util.Locale;

/**
 * The exec plugin's settings: {@code VACCEL_EXEC_DLOPEN_MODE} ({@code lazy}/{@code now}, default now) and
 * {@code VACCEL_EXEC_DLCLOSE_ENABLED} (deprecated {@code VACCEL_EXEC_DLCLOSE}): close libraries after each
 * exec (default false). exec_with_resource always closes its libraries when the resource is unregistered.
 * {@code VACCEL_EXEC_FPGA_LIBRARY}: an absolute path to a library that serves the FPGA ops (see {@link ExecPlugin}).
 */
record ExecSettings(DynamicLoader.Mode mode, boolean dlcloseAfterExec, java.util.Optional<java.nio.file.Path> fpgaLibrary) {
    static ExecSettings from(VaccelConfig config) {
        String m = config.envOr("VACCEL_EXEC_DLOPEN_MODE", "now").trim().toLowerCase(Locale.ROOT);
        DynamicLoader.Mode mode = switch (m) {
            case "lazy" -> DynamicLoader.Mode.LAZY;
            case "now", "" -> DynamicLoader.Mode.NOW;
            default -> throw new VaccelException.InvalidArgumentException("VACCEL_EXEC_DLOPEN_MODE='" + m + "' must be lazy or now");
        };
        String key = config.env().containsKey("VACCEL_EXEC_DLCLOSE_ENABLED") ? "VACCEL_EXEC_DLCLOSE_ENABLED" : "VACCEL_EXEC_DLCLOSE";
        String fpga = config.envOr("VACCEL_EXEC_FPGA_LIBRARY", "").trim();
        if (!fpga.isEmpty() && !fpga.startsWith("/")) {
            throw new VaccelException.InvalidArgumentException("VACCEL_EXEC_FPGA_LIBRARY='" + fpga + "' must be an absolute path");
        }
        return new ExecSettings(mode, config.envFlag(key, false),
            fpga.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(fpga)));
    }
}
