package io.jurunc.shim.backend;

import java.nio.file.Path;
import java.util.List;

/**
 * How a backend starts an exec'd process: a command run to completion with the process's stdio,
 * which leaves the process behind (detached, re-parented to the shim daemon, a subreaper) and writes
 * its pid to {@code pidFile}: {@code runc exec --detach}, or jurunc's exec relay.
 */
public record ExecLaunch(List<String> argv, Path pidFile) {
    public ExecLaunch {
        argv = List.copyOf(argv);
    }
}
