package io.jurunc.builder.bunnyfile;

import io.jurunc.builder.Location;
import java.util.List;

/**
 * A bunnyfile (hops API v0.1), validated. Locations point at the lines each part came from.
 * {@code rootfs} is null when the file has none.
 */
public record Bunnyfile(
        String syntax,
        String version,
        Platforms platforms,
        Rootfs rootfs,
        Kernel kernel,
        List<String> cmd,
        List<String> entrypoint,
        List<String> envs,
        Location location) {
    public record Platforms(String framework, String version, String monitor, String architecture, Location location) {}

    /** {@code from} is "scratch", "local" or an image reference; {@code type} is null when not given. */
    public record Rootfs(String from, String path, String type, String fs, List<Include> include, Location location) {
        public Rootfs {
            include = List.copyOf(include);
        }
    }

    /** {@code from} is "local" (the context) or an image reference. */
    public record Include(String from, String source, String destination, Location location) {}

    public record Kernel(String from, String path, Location location) {}

    public Bunnyfile {
        cmd = List.copyOf(cmd);
        entrypoint = List.copyOf(entrypoint);
        envs = List.copyOf(envs);
    }

    public static boolean isLocal(String from) {
        return "local".equals(from);
    }

    public static boolean isScratch(String from) {
        return from == null || from.isEmpty() || "scratch".equals(from);
    }
}
