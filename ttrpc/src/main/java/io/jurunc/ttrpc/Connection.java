package io.jurunc.ttrpc;

import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A connected, blocking, bidirectional byte stream that ttrpc runs over.
 *
 * <p>One thread reads while others write (writes are serialised by ttrpc). {@link #close()} must make a
 * read blocked in another thread return or fail (JDK socket channels do; an FFM-based vsock channel should
 * {@code shutdown(2)} the socket before closing it).
 */
public interface Connection extends ByteChannel {
    /** A human-readable description of the peer, for logs and error messages. */
    String description();

    /**
     * True when {@link #read} blocks in native code the JDK cannot unmount (e.g. an FFM socket call): the
     * connection's reader then runs on a platform thread, so that blocked readers never occupy every
     * carrier thread of the virtual-thread scheduler.
     */
    default boolean blocksCarrier() {
        return false;
    }

    /** Wraps a connected socket channel (unix or TCP), which must be in blocking mode. */
    static Connection of(SocketChannel channel) {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isBlocking()) {
            throw new IllegalArgumentException("ttrpc needs a blocking socket channel");
        }
        String peer;
        try {
            peer = String.valueOf(channel.getRemoteAddress());
        } catch (java.io.IOException e) {
            peer = "socket";
        }
        return new ChannelConnection(channel, peer);
    }

    /** Wraps any blocking byte channel, e.g. an already-accepted vsock connection. */
    static Connection of(ByteChannel channel, String description) {
        return new ChannelConnection(
                Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(description, "description"));
    }
}
