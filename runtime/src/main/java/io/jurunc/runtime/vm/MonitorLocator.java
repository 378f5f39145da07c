package io.jurunc.runtime.vm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Finds a monitor's executable: the path configured in {@code /etc/jurunc/config.toml} ({@code
 * [monitors.<name>] path}) if any, else a search of {@code PATH} for the monitor's {@link
 * MonitorType#binaryName} (e.g. {@code qemu-system-x86_64}, {@code qemu-system-aarch64} on arm64).
 */
public final class MonitorLocator {
    public static final String CONFIG = "/etc/jurunc/config.toml";

    private final Map<MonitorType, Path> configured;
    private final String searchPath;
    private final String arch;

    /**
     * @param configured configured binary paths
     * @param searchPath the PATH value (colon separated)
     * @param arch the machine, "x86_64" or "aarch64" (Java's "amd64"/"arm64" are accepted)
     */
    public MonitorLocator(Map<MonitorType, Path> configured, String searchPath, String arch) {
        this.configured = Map.copyOf(configured);
        this.searchPath = searchPath == null ? "" : searchPath;
        this.arch = normaliseArch(Objects.requireNonNull(arch, "arch"));
    }

    /** With this process's PATH and architecture. */
    public static MonitorLocator forThisHost(Map<MonitorType, Path> configured) {
        return new MonitorLocator(configured, System.getenv("PATH"), System.getProperty("os.arch"));
    }

    /** The executable name searched in PATH. */
    public String binaryName(MonitorType monitor) {
        return monitor.binaryName(arch);
    }

    public Path locate(MonitorType monitor) throws MonitorNotFoundException {
        Path path = configured.get(monitor);
        if (path != null) {
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return path;
            }
            throw new MonitorNotFoundException(
                    monitor,
                    "the "
                            + monitor.key()
                            + " binary configured in "
                            + CONFIG
                            + " ([monitors."
                            + monitor.key()
                            + "] path = \""
                            + path
                            + "\") "
                            + (Files.exists(path) ? "is not an executable file" : "does not exist")
                            + "; fix that path or remove it to search PATH for "
                            + binaryName(monitor));
        }
        String name = binaryName(monitor);
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new MonitorNotFoundException(
                monitor,
                "the "
                        + monitor.key()
                        + " monitor binary '"
                        + name
                        + "' is not in PATH ("
                        + searchPath
                        + "); install it or set its location in "
                        + CONFIG
                        + ": [monitors."
                        + monitor.key()
                        + "] path = \"/path/to/"
                        + name
                        + "\"");
    }

    static String normaliseArch(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> arch;
        };
    }
}
