package io.jurunc.shim.daemon;

import java.nio.file.Path;

/** Test access to the daemon's exit clean-up. */
public final class ShimDaemonAccess {
    private ShimDaemonAccess() {}

    public static void removeSocketAndLock(Path socket) {
        ShimDaemon.removeSocketAndLock(socket, ShimLog.stderr(false, "test"));
    }
}
