package io.jurunc.runtime.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code [sandbox]} in config.toml: how monitors are confined.
 *
 * @param helper the sandbox helper binary; empty: {@code <jurunc.home>/libexec/jurunc-sandbox}
 * @param uidBase first uid (and gid) of the range monitors of root containers get, one per container
 * @param uidCount size of that range
 * @param idsDir where unique ids (monitor uids, vsock CIDs) are recorded, host-wide
 * @param monitorOverheadMb what the monitor may use beyond guest RAM, added to the cgroup's memory limit
 * @param readOnly extra host paths bound read-only into every monitor's root (e.g. firmware outside /usr)
 * @param readWrite extra host paths bound read-write (e.g. a directory for monitor sockets or logs)
 */
public record SandboxSettings(
        Optional<Path> helper,
        int uidBase,
        int uidCount,
        Path idsDir,
        long monitorOverheadMb,
        List<Path> readOnly,
        List<Path> readWrite) {
    public static final int DEFAULT_UID_BASE = 1_000_000_000;
    public static final int DEFAULT_UID_COUNT = 65_536;

    public SandboxSettings {
        if (uidBase <= 0 || uidCount <= 0 || (long) uidBase + uidCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "[sandbox] uid_base and uid_count must be positive and end below 2^31, got " + uidBase + " and "
                            + uidCount);
        }
        if (monitorOverheadMb < 0) throw new IllegalArgumentException("[sandbox] monitor_overhead_mb must be >= 0");
        readOnly = List.copyOf(readOnly);
        readWrite = List.copyOf(readWrite);
        for (Path p : readOnly) {
            if (!p.isAbsolute()) throw new IllegalArgumentException("[sandbox] read_only: '" + p + "' is not absolute");
        }
        for (Path p : readWrite) {
            if (!p.isAbsolute())
                throw new IllegalArgumentException("[sandbox] read_write: '" + p + "' is not absolute");
        }
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings(
                Optional.empty(),
                DEFAULT_UID_BASE,
                DEFAULT_UID_COUNT,
                Path.of("/run/jurunc/ids"),
                256,
                List.of(),
                List.of());
    }

    /** The helper binary: the configured one, else the one installed next to jurunc. */
    public Path helperPath() throws SandboxSetupException {
        if (helper.isPresent()) return helper.get();
        String home = System.getProperty("jurunc.home");
        if (home == null || home.isEmpty()) {
            throw new SandboxSetupException("the sandbox helper is not configured: set [sandbox] helper in "
                    + "/etc/jurunc/config.toml, or run jurunc through its launcher (which sets jurunc.home)");
        }
        return Path.of(home, "libexec", "jurunc-sandbox");
    }
}
