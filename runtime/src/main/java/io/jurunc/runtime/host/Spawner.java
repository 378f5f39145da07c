package io.jurunc.runtime.host;

import java.util.List;

/**
 * Starts the process {@code create} leaves behind. The CLI's own JVM starts it as its child; a node daemon that
 * serves a CLI call asks the calling front to fork it, so that it stays a descendant of the caller (containerd's
 * runc shim), as runc's process model wants.
 */
@FunctionalInterface
public interface Spawner {
    Spawned spawn(List<String> argv, Stdio stdio) throws HostException;
}
