package io.jurunc.ttrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** A {@link Listener} over a JDK server socket channel (unix or TCP), with an optional peer check. */
final class SocketListener implements Listener {
    private static final System.Logger LOG = System.getLogger(SocketListener.class.getName());
    /** Accepts every peer. */
    static final Function<SocketChannel, Optional<String>> ANY_PEER = peer -> Optional.empty();

    private final ServerSocketChannel channel;
    private final Path socketFile;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final SocketAddress localAddress;
    /** Returns the reason to refuse a peer, or empty to accept it. */
    private final Function<SocketChannel, Optional<String>> peerCheck;

    SocketListener(ServerSocketChannel channel, Path socketFile, Function<SocketChannel, Optional<String>> peerCheck) {
        this.channel = channel;
        this.socketFile = socketFile;
        this.peerCheck = peerCheck;
        try {
            this.localAddress = channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds a unix server socket at {@code path}, with an error that names the path. */
    static ServerSocketChannel bindUnix(Path path) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            return ch;
        } catch (IOException e) {
            ch.close();
            String hint = Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    ? " (a file exists there: remove a stale socket, or stop the server that owns it)"
                    : Files.isDirectory(path.toAbsolutePath().getParent())
                            ? ""
                            : " (the parent directory does not exist)";
            throw bindFailure("unix://" + path + hint, e);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static BindException bindFailure(String where, IOException cause) {
        BindException e = new BindException("cannot listen on " + where + ": " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    @Override
    public Connection accept() throws IOException {
        while (true) {
            SocketChannel accepted = channel.accept();
            Optional<String> refusal = peerCheck.apply(accepted);
            if (refusal.isEmpty()) {
                if (accepted.getRemoteAddress() instanceof java.net.InetSocketAddress) {
                    // TCP: frames go out as soon as written (a large frame's last segment must not wait for an ACK)
                    accepted.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                } else {
                    MessageLimits.widenUnixBuffers(accepted);
                }
                return Connection.of(accepted);
            }
            LOG.log(Level.WARNING, "ttrpc: refusing connection on {0}: {1}", localAddress, refusal.get());
            accepted.close();
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Closes the socket and removes its file, once: the server closes a listener again when its accept
     * loop ends, and by then a new server may have bound the same path.
     */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close();
        } finally {
            if (socketFile != null) {
                Files.deleteIfExists(socketFile);
            }
        }
    }

    @Override
    public String toString() {
        return "Listener[" + localAddress + "]";
    }
}
