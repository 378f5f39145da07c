package io.jurunc.ttrpc;

/** Limits shared by the reader, writer, client and server. */
public final class MessageLimits {
    /** containerd/ttrpc's maximum message length: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4 << 20;

    /**
     * Socket buffer asked for on unix sockets (the kernel caps it at {@code net.core.wmem_max}). The default
     * (~208 KiB) makes a large frame cross in dozens of writer/reader alternations, each a scheduler
     * wake-up: the throughput cliff between 16 KiB and 4 MiB measured in docs/vaccel.md.
     */
    static final int UNIX_SOCKET_BUFFER = 4 << 20;

    private MessageLimits() {}

    /** Widens a unix socket's send and receive buffers; a refusal only costs throughput. */
    static void widenUnixBuffers(java.nio.channels.SocketChannel ch) {
        try {
            ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, UNIX_SOCKET_BUFFER);
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, UNIX_SOCKET_BUFFER);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            System.getLogger(MessageLimits.class.getName())
                    .log(System.Logger.Level.DEBUG, "ttrpc: cannot widen socket buffers", e);
        }
    }

    static int requireValid(int maxMessageLength) {
        if (maxMessageLength <= 0) {
            throw new IllegalArgumentException("maximum message length must be positive, got " + maxMessageLength);
        }
        return maxMessageLength;
    }
}
