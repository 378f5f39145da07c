package io.jurunc.shim.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend needs to create a container: id, bundle, and containerd's stdio FIFOs (absent = none);
 * with a terminal, the console socket the runtime sends the pty master to (runc's {@code --console-socket})
 * instead, the shim relaying between the pty and the FIFOs.
 */
public record CreateSpec(
        String id,
        Path bundle,
        Optional<Path> stdin,
        Optional<Path> stdout,
        Optional<Path> stderr,
        boolean terminal,
        Optional<Path> consoleSocket) {
    public CreateSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        if (consoleSocket.isPresent() && !terminal) {
            throw new IllegalArgumentException("a console socket is for a terminal");
        }
    }

    /** Without a console socket. */
    public CreateSpec(
            String id,
            Path bundle,
            Optional<Path> stdin,
            Optional<Path> stdout,
            Optional<Path> stderr,
            boolean terminal) {
        this(id, bundle, stdin, stdout, stderr, terminal, Optional.empty());
    }

    /** The pid file, where runc-style runtimes write the container's pid (as containerd's runc shim asks). */
    public Path pidFile() {
        return bundle.resolve("init.pid");
    }
}
