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
    /** uids allowed besides this process's own; null accepts every peer. */
    private final java.util.Set<Integer> alsoAllowed;

    private final AtomicBoolean closed = new AtomicBoolean();

    private AbstractUnixListener(int fd, String name, java.util.Set<Integer> alsoAllowed) {
        this.fd = fd;
        this.name = name;
        this.alsoAllowed = alsoAllowed;
    }

    /** Accepts every local peer (an abstract name has no file permissions to restrict it). */
    public static AbstractUnixListener bind(String name) throws IOException {
        return new AbstractUnixListener(Vsock.listenAbstract(name, 128), name, null);
    }

    /** Accepts only peers running as this process's uid or one of {@code alsoAllowedUids} (SO_PEERCRED). */
    public static AbstractUnixListener bindSameUser(String name, java.util.Set<Integer> alsoAllowedUids)
            throws IOException {
        return new AbstractUnixListener(Vsock.listenAbstract(name, 128), name, java.util.Set.copyOf(alsoAllowedUids));
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
        while (true) {
            int cfd = Vsock.acceptAny(fd);
            if (alsoAllowed != null) {
                int uid;
                try {
                    uid = Vsock.peerUid(cfd);
                } catch (IOException e) {
                    uid = -1;
                }
                if (uid != Vsock.euid() && !alsoAllowed.contains(uid)) {
                    System.getLogger(AbstractUnixListener.class.getName())
                            .log(
                                    System.Logger.Level.WARNING,
                                    "refusing a connection on unix://@{0} from uid {1}",
                                    name,
                                    uid);
                    Vsock.shutdown(cfd);
                    Vsock.close(cfd);
                    if (closed.get()) {
                        throw new java.nio.channels.ClosedChannelException();
                    }
                    continue;
                }
            }
            return new VsockConnection(cfd, "unix://@" + name + " peer");
        }
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
