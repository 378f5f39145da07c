package io.jurunc.ttrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link Listener} over a JDK server socket channel (unix or TCP). */
final class SocketListener implements Listener {
    private final ServerSocketChannel channel;
    private final Path socketFile;
    private final SocketAddress localAddress;

    SocketListener(ServerSocketChannel channel, Path socketFile) {
        this.channel = channel;
        this.socketFile = socketFile;
        try {
            this.localAddress = channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Connection accept() throws IOException {
        SocketChannel accepted = channel.accept();
        return Connection.of(accepted);
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() throws IOException {
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
