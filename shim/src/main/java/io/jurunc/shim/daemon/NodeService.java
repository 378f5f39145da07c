package io.jurunc.shim.daemon;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A service the resident node daemon runs beside the task API, found with {@link java.util.ServiceLoader} on the
 * daemon's class path (the CLI's verbs, served without a JVM start per call, are one). The shim knows nothing of
 * what a service does; a service that cannot start is logged and left out, the task API serves regardless.
 */
public interface NodeService {
    /** A short name for the daemon's log. */
    String name();

    /** Starts serving; the returned handle stops it (the daemon closes it when it exits). */
    Closeable start(Consumer<String> log) throws IOException;
}
