package io.jurunc.vaccel.rpc.common;

import io.jurunc.ttrpc.Connection;
import io.jurunc.ttrpc.Listener;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening socket in Linux's abstract unix namespace ({@code unix://@name}, as vAccel's ttrpc accepts),
 * through FFM: the JDK's unix channels take file paths only. No file is created, and the name disappears
 * with the socket.
 */
public final class AbstractUnixListener implements Listener {
    private final int fd;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AbstractUnixListener(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    public static AbstractUnixListener bind(String name) throws IOException {
        return new AbstractUnixListener(Vsock.listenAbstract(name, 128), name);
    }

    /** A client connection to {@code @name}. */
    public static Connection connect(String name) throws IOException {
        return new VsockConnection(Vsock.connectAbstract(name), "unix://@" + name);
    }

    @Override
    public Connection accept() throws IOException {
        while (!closed.get() && !Vsock.pollIn(fd, 200)) {
            // poll so that close() is noticed
        }
        if (closed.get()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return new VsockConnection(Vsock.acceptAny(fd), "unix://@" + name + " peer");
    }

    /** FFM socket calls pin the carrier thread while they block. */
    @Override
    public boolean blocksCarrier() {
        return true;
    }

    @Override
    public SocketAddress localAddress() {
        return new SocketAddress() {
            private static final long serialVersionUID = 1L;

            @Override
            public String toString() {
                return "unix://@" + name;
            }
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Vsock.shutdown(fd);
            Vsock.close(fd);
        }
    }
}
