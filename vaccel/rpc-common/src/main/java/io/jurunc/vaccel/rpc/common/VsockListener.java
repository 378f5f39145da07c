package io.jurunc.vaccel.rpc.common;

import io.jurunc.ttrpc.Connection;
import io.jurunc.ttrpc.Listener;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening vsock socket (FFM) as a ttrpc {@link Listener}, optionally accepting only some peer CIDs (the
 * agent's {@code --allow-cid}): a peer outside the list is shut down and closed as soon as it is accepted,
 * before any byte is read, and the listener goes on accepting.
 */
public final class VsockListener implements Listener {
    private static final System.Logger LOG = System.getLogger(VsockListener.class.getName());

    private final int fd;
    private final int cid;
    private final int port;
    /** Peer CIDs accepted; empty accepts every peer. */
    private final java.util.Set<Long> allowedPeers;

    private final Sockets sockets;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The socket calls the listener makes: {@link #FFM} in use, a recording fake in tests. */
    interface Sockets {
        boolean pollIn(int fd, int millis) throws IOException;

        /** Accepts a connection: {fd, peer cid, peer port}. */
        int[] accept(int fd) throws IOException;

        Connection connection(int fd, String description);

        void shutdown(int fd);

        void close(int fd);
    }

    static final Sockets FFM = new Sockets() {
        @Override
        public boolean pollIn(int fd, int millis) throws IOException {
            return Vsock.pollIn(fd, millis);
        }

        @Override
        public int[] accept(int fd) throws IOException {
            return Vsock.accept(fd);
        }

        @Override
        public Connection connection(int fd, String description) {
            return new VsockConnection(fd, description);
        }

        @Override
        public void shutdown(int fd) {
            Vsock.shutdown(fd);
        }

        @Override
        public void close(int fd) {
            Vsock.close(fd);
        }
    };

    VsockListener(int fd, int cid, int port, java.util.Set<Long> allowedPeers, Sockets sockets) {
        this.fd = fd;
        this.cid = cid;
        this.port = port;
        this.allowedPeers = java.util.Set.copyOf(allowedPeers);
        this.sockets = sockets;
    }

    /** Binds {@code cid:port} (use {@link Vsock#CID_ANY} for every CID) and listens, accepting any peer. */
    public static VsockListener bind(int cid, int port) throws IOException {
        return bind(cid, port, java.util.Set.of());
    }

    /** As {@link #bind(int, int)}, accepting only peers whose CID is in {@code allowedPeerCids} (empty: any). */
    public static VsockListener bind(int cid, int port, java.util.Set<Long> allowedPeerCids) throws IOException {
        return new VsockListener(Vsock.listen(cid, port, 128), cid, port, allowedPeerCids, FFM);
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            if (closed.get()) {
                throw new IOException("vsock listener closed");
            }
            while (!sockets.pollIn(fd, 200)) {
                if (closed.get()) {
                    throw new IOException("vsock listener closed");
                }
            }
            if (closed.get()) {
                throw new IOException("vsock listener closed");
            }
            int[] r = sockets.accept(fd);
            long peer = Integer.toUnsignedLong(r[1]);
            String description = "vsock://" + peer + ":" + Integer.toUnsignedString(r[2]);
            if (allowedPeers.isEmpty() || allowedPeers.contains(peer)) {
                return sockets.connection(r[0], description);
            }
            LOG.log(
                    System.Logger.Level.WARNING,
                    "refusing a vsock connection from {0} on port {1}: CID {2} is not allowed (--allow-cid)",
                    description,
                    Integer.toUnsignedString(port),
                    Long.toString(peer));
            sockets.shutdown(r[0]);
            sockets.close(r[0]);
        }
    }

    /** FFM socket calls pin the carrier thread while they block. */
    @Override
    public boolean blocksCarrier() {
        return true;
    }

    @Override
    public SocketAddress localAddress() {
        return new VsockSocketAddress(cid, port);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sockets.shutdown(fd);
            sockets.close(fd);
        }
    }

    /** A vsock address as a {@link SocketAddress}. */
    public static final class VsockSocketAddress extends SocketAddress {
        private static final long serialVersionUID = 1L;
        private final int cid;
        private final int port;

        public VsockSocketAddress(int cid, int port) {
            this.cid = cid;
            this.port = port;
        }

        public int cid() {
            return cid;
        }

        public int port() {
            return port;
        }

        @Override
        public String toString() {
            return "vsock://" + Integer.toUnsignedString(cid) + ":" + port;
        }
    }
}
