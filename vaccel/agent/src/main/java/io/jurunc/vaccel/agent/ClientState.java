package io.jurunc.vaccel.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client connection owns on the agent: the sessions and resources it created (released when it
 * disconnects).
 */
final class ClientState {
    final long connectionId;
    final Set<Long> sessions = ConcurrentHashMap.newKeySet();
    final Set<Long> resources = ConcurrentHashMap.newKeySet();

    private boolean closed;

    ClientState(long connectionId) {
        this.connectionId = connectionId;
    }

    /** Records a session this client created; false once the client is gone (the caller must undo it). */
    synchronized boolean ownSession(long id) {
        if (closed) {
            return false;
        }
        sessions.add(id);
        return true;
    }

    /** Records a resource this client created; false once the client is gone (the caller must undo it). */
    synchronized boolean ownResource(long id) {
        if (closed) {
            return false;
        }
        resources.add(id);
        return true;
    }

    /** Marks the client gone: nothing more can be recorded, so the release that follows sees everything. */
    synchronized void markClosed() {
        closed = true;
    }
}
