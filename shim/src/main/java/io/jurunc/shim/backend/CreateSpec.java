package io.jurunc.shim.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend needs to create a container: id, bundle, and containerd's stdio FIFOs (absent = none).
 */
public record CreateSpec(
        String id, Path bundle, Optional<Path> stdin, Optional<Path> stdout, Optional<Path> stderr, boolean terminal) {
    public CreateSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** The pid file, where runc-style runtimes write the container's pid (as containerd's runc shim asks). */
    public Path pidFile() {
        return bundle.resolve("init.pid");
    }
}
