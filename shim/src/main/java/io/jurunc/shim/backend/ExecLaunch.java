package io.jurunc.shim.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a backend starts an exec'd process: a command run to completion with the process's stdio,
 * which leaves the process behind (detached, re-parented to the shim daemon, a subreaper) and writes
 * its pid to {@code pidFile}: {@code runc exec --detach}, or jurunc's exec relay. Its stderr is the
 * exec's (a FIFO containerd reads, or not yet: the CRI attaches after Start), so why it failed is
 * read from {@code log}, runc's JSON log ({@code --log --log-format json}), where it appends it
 * (empty: a launcher that logs nowhere, whose failure has only its exit code).
 */
public record ExecLaunch(List<String> argv, Path pidFile, Optional<Path> log) {
    public ExecLaunch {
        argv = List.copyOf(argv);
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(log, "log");
    }
}
