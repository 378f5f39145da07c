package io.jurunc.shim.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An exec'd process of a container, as containerd's {@code Exec} gives it: the container, the exec's
 * id (containerd's identifier rules: letters, digits, {@code . _ -}, at most 76), the bundle, the OCI
 * process as JSON, and whether it wants a terminal; with a terminal, the console socket the runtime sends
 * the exec's pty master to (runc's {@code --console-socket}), the shim relaying it to the exec's FIFOs.
 */
public record ExecSpec(
        String containerId,
        String execId,
        Path bundle,
        byte[] processJson,
        boolean terminal,
        Optional<Path> consoleSocket) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,75}");

    public ExecSpec {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(bundle, "bundle");
        if (execId == null || !ID.matcher(execId).matches()) {
            throw new IllegalArgumentException("bad exec id '" + execId + "'");
        }
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        if (consoleSocket.isPresent() && !terminal) {
            throw new IllegalArgumentException("a console socket is for a terminal");
        }
        processJson = processJson.clone();
    }

    /** Without a console socket (the shim adds it when it starts a terminal exec). */
    public ExecSpec(String containerId, String execId, Path bundle, byte[] processJson, boolean terminal) {
        this(containerId, execId, bundle, processJson, terminal, Optional.empty());
    }

    /** This exec with the console socket its pty master is to be sent to. */
    public ExecSpec withConsoleSocket(Path socket) {
        return new ExecSpec(containerId, execId, bundle, processJson, terminal, Optional.of(socket));
    }

    public static boolean validId(String execId) {
        return execId != null && ID.matcher(execId).matches();
    }

    /** Where a runc-style runtime reads the process from ({@code --process}). */
    public Path processFile() {
        return bundle.resolve("exec-" + execId + ".json");
    }

    /** Where the runtime writes the pid of the process it started detached ({@code --pid-file}). */
    public Path pidFile() {
        return bundle.resolve("exec-" + execId + ".pid");
    }

    /** This exec's own log, where a launcher that can log per exec (jurunc's exec relay) says why it failed. */
    public Path logFile() {
        return bundle.resolve("exec-" + execId + ".log");
    }
}
