package io.jurunc.shim.start;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Starts the resident daemon process; faked in tests. */
@FunctionalInterface
public interface DaemonLauncher {
    /** Starts the daemon with {@code args} in {@code cwd}, detached from the caller's session. */
    Process launch(List<String> args, Path cwd) throws IOException;
}
