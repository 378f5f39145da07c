package io.jurunc.ttrpc;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's view of one client connection: an id unique within the server, and close listeners so
 * services can release per-client state when the client disappears.
 */
public final class ServerConnection {
    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    private final long id;
    private final String peer;
    private final List<Runnable> closeListeners = new ArrayList<>();
    private boolean closed;

    ServerConnection(long id, String peer) {
        this.id = id;
        this.peer = peer;
    }

    public long id() {
        return id;
    }

    /** Description of the peer (socket address or the supplied channel description). */
    public String peer() {
        return peer;
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    /**
     * Runs {@code listener} once when the connection closes (client gone, server shut down). If the
     * connection is already closed, runs it immediately in the calling thread.
     */
    public void onClose(Runnable listener) {
        synchronized (this) {
            if (!closed) {
                closeListeners.add(listener);
                return;
            }
        }
        runQuietly(listener);
    }

    /** Marks the connection closed and runs the listeners (once). */
    void fireClosed() {
        List<Runnable> toRun;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toRun = List.copyOf(closeListeners);
            closeListeners.clear();
        }
        toRun.forEach(this::runQuietly);
    }

    private void runQuietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ttrpc: close listener of connection " + id + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "ServerConnection[" + id + ", " + peer + "]";
    }
}
