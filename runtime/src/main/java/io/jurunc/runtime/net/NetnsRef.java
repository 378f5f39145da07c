package io.jurunc.runtime.net;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A network namespace, named by a file that refers to it: a bind mount such as {@code
 * /var/run/netns/cni-1234} or a process's {@code /proc/PID/ns/net}.
 */
public record NetnsRef(Path path) {
    public NetnsRef {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(
                    "network namespace path must be absolute (e.g. /var/run/netns/NAME), got: " + path);
        }
        path = path.normalize();
    }

    /** Parses a path such as the one in config.json's {@code linux.namespaces[type=network].path}. */
    public static NetnsRef of(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("network namespace path is empty");
        }
        return new NetnsRef(Path.of(path));
    }

    /** The network namespace of a running process. */
    public static NetnsRef ofPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
        return new NetnsRef(Path.of("/proc", Long.toString(pid), "ns", "net"));
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
