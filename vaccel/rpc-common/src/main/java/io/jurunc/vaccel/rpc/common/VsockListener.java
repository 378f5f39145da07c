package io.jurunc.vaccel.rpc.common;

import io.jurunc.ttrpc.Connection;
import io.jurunc.ttrpc.Listener;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/** A listening vsock socket (FFM) as a ttrpc {@link Listener}. */
public final class VsockListener implements Listener {
    private final int fd;
    private final int cid;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private VsockListener(int fd, int cid, int port) {
        this.fd = fd;
        this.cid = cid;
        this.port = port;
    }

    /** Binds {@code cid:port} (use {@link Vsock#CID_ANY} for every CID) and listens. */
    public static VsockListener bind(int cid, int port) throws IOException {
        return new VsockListener(Vsock.listen(cid, port, 128), cid, port);
    }

    @Override
    public Connection accept() throws IOException {
        if (closed.get()) {
            throw new IOException("vsock listener closed");
        }
        while (!Vsock.pollIn(fd, 200)) {
            if (closed.get()) {
                throw new IOException("vsock listener closed");
            }
        }
        if (closed.get()) {
            throw new IOException("vsock listener closed");
        }
        int[] r = Vsock.accept(fd);
        return new VsockConnection(r[0], "vsock://" + Integer.toUnsignedString(r[1]) + ":" + Integer.toUnsignedString(r[2]));
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
            Vsock.shutdown(fd);
            Vsock.close(fd);
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

        public int cid() { return cid; }
        public int port() { return port; }

        @Override
        public String toString() {
            return "vsock://" + Integer.toUnsignedString(cid) + ":" + port;
        }
    }
}
