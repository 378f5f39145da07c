package io.jurunc.ttrpc;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * A source of accepted {@link Connection}s for {@link TtrpcServer#serve(Listener)}.
 *
 * <p>{@link #close()} must make a blocked {@link #accept()} fail. Implement this for transports the JDK
 * lacks (e.g. vsock through FFM).
 */
public interface Listener extends Closeable {
    /** Blocks until a client connects. Fails with an {@link IOException} once the listener is closed. */
    Connection accept() throws IOException;

    /** The bound address (for TCP port 0, the port actually chosen). */
    SocketAddress localAddress();

    /**
     * True when {@link #accept()} blocks in native code the JDK cannot unmount (e.g. an FFM socket call):
     * the server then accepts on a platform thread instead of a virtual one, so a carrier thread is not
     * pinned.
     */
    default boolean blocksCarrier() {
        return false;
    }

    /**
     * Binds a unix socket at {@code path}. The socket file is removed when the listener closes. Fails if
     * the path exists (remove a stale socket first, or check whether another server still owns it).
     */
    static Listener unix(Path path) throws IOException {
        return new SocketListener(SocketListener.bindUnix(path), path, SocketListener.ANY_PEER);
    }

    /**
     * Like {@link #unix(Path)}, but accepts only peers whose credentials ({@code SO_PEERCRED}) match this
     * process's effective uid and gid, as containerd/ttrpc's {@code UnixSocketRequireSameUser} does (the
     * containerd shim serves with it). Other peers are disconnected at once and logged.
     */
    static Listener unixSameUser(Path path) throws IOException {
        PeerCredentials.Identity self = PeerCredentials.self();
        return new SocketListener(SocketListener.bindUnix(path), path, peer -> PeerCredentials.check(peer, self));
    }

    /**
     * Like {@link #unixSameUser(Path)}, also accepting peers running as one of {@code alsoAllowed} (user
     * names as {@code SO_PEERCRED} reports them, i.e. the passwd name, or the numeric uid without one).
     */
    static Listener unixSameUserOr(Path path, java.util.Set<String> alsoAllowed) throws IOException {
        PeerCredentials.Identity self = PeerCredentials.self();
        java.util.Set<String> allowed = java.util.Set.copyOf(alsoAllowed);
        return new SocketListener(
                SocketListener.bindUnix(path), path, peer -> PeerCredentials.check(peer, self, allowed));
    }

    /** Binds a TCP socket; use port 0 for an ephemeral port. */
    static Listener tcp(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(address);
        } catch (IOException e) {
            ch.close();
            throw SocketListener.bindFailure("tcp://" + address, e);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        return new SocketListener(ch, null, SocketListener.ANY_PEER);
    }

    /** Binds a unix or TCP address; vsock needs an FFM-based {@link Listener} supplied by the caller. */
    static Listener bind(TtrpcAddress address) throws IOException {
        return switch (address) {
            case TtrpcAddress.Unix u -> unix(u.path());
            case TtrpcAddress.Tcp t -> tcp(new InetSocketAddress(t.host(), t.port()));
            case TtrpcAddress.Vsock v -> throw new UnsupportedTransportException(v);
        };
    }

    /** Wraps an already-bound server socket channel (e.g. one inherited from a parent process). */
    static Listener of(ServerSocketChannel channel) {
        return new SocketListener(channel, null, SocketListener.ANY_PEER);
    }
}
