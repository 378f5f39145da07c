package io.jurunc.vaccel.agent;

import io.jurunc.vaccel.rpc.common.Assembler;
import io.jurunc.vaccel.rpc.common.Chunker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client connection owns on the agent: the sessions and resources it created (released when it
 * disconnects) and, per session, a chunked genop being received or a chunked response being sent.
 */
final class ClientState {
    final long connectionId;
    final Set<Long> sessions = ConcurrentHashMap.newKeySet();
    final Set<Long> resources = ConcurrentHashMap.newKeySet();
    final Map<Long, Incoming> incoming = new ConcurrentHashMap<>();
    final Map<Long, Deque<Chunker.Piece>> outgoing = new ConcurrentHashMap<>();

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

    /** A chunked genop being received: read and write args. */
    static final class Incoming {
        final Assembler read;
        final Assembler write;

        Incoming(long maxArgBytes) {
            read = new Assembler(maxArgBytes);
            write = new Assembler(maxArgBytes);
        }
    }

    static Deque<Chunker.Piece> queue(java.util.List<Chunker.Piece> pieces) {
        return new ArrayDeque<>(pieces);
    }
}
