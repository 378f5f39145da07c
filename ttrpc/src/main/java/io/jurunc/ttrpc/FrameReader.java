package io.jurunc.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Reads ttrpc frames from a channel. Not thread-safe: one reader thread per connection.
 *
 * <p>A header announcing more than {@code maxMessageLength} bytes does not break the connection: the
 * payload is read and discarded and an {@link OversizedFrame} is returned, as containerd/ttrpc does.
 *
 * <p>The payload array grows with the bytes that actually arrive (up to {@value #FIRST_ALLOCATION} bytes at
 * first, then doubling), never to the announced length up front: a peer that announces a large frame and sends
 * nothing costs little memory. Reads go through one direct buffer per connection, so the JDK needs no
 * temporary native buffer the size of a large frame.
 */
public final class FrameReader {
    private static final int BUFFER_SIZE = 128 * 1024;
    /** Largest payload array allocated before any of its bytes arrived. */
    static final int FIRST_ALLOCATION = 4 * 1024 * 1024;

    private final ReadableByteChannel channel;
    private final int maxMessageLength;
    /** Buffered bytes, in read mode (position..limit are unread). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE).flip();

    public FrameReader(ReadableByteChannel channel, int maxMessageLength) {
        this.channel = channel;
        this.maxMessageLength = MessageLimits.requireValid(maxMessageLength);
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, an {@link OversizedFrame}, or {@link EndOfStream} when the peer closed the
     *     connection at a frame boundary
     * @throws EOFException when the connection ends inside a frame
     */
    public Inbound next() throws IOException {
        if (!buffer.hasRemaining() && fill() < 0) {
            return EndOfStream.INSTANCE;
        }
        ensure(FrameHeader.LENGTH);
        FrameHeader header = FrameHeader.decode(buffer);
        if (header.length() > maxMessageLength) {
            discard(header.length());
            return new OversizedFrame(header, maxMessageLength);
        }
        int length = (int) header.length();
        byte[] payload = new byte[Math.min(length, Math.max(FIRST_ALLOCATION, buffer.remaining()))];
        int filled = 0;
        while (filled < length) {
            if (!buffer.hasRemaining() && fill() < 0) {
                throw new EOFException(
                        "connection closed inside a frame payload (" + filled + " of " + length + " bytes read)");
            }
            if (filled == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            int n = Math.min(buffer.remaining(), payload.length - filled);
            buffer.get(payload, filled, n);
            filled += n;
        }
        return new Frame(header.streamId(), header.type(), header.flags(), payload);
    }

    /** Makes at least {@code n} (≤ buffer capacity) bytes available in the buffer. */
    private void ensure(int n) throws IOException {
        while (buffer.remaining() < n) {
            if (fill() < 0) {
                throw new EOFException("connection closed inside a frame header");
            }
        }
    }

    /** Reads more bytes into the buffer; returns the count read or -1 at end of stream. */
    private int fill() throws IOException {
        buffer.compact();
        try {
            int n;
            do {
                n = channel.read(buffer);
            } while (n == 0);
            return n;
        } finally {
            buffer.flip();
        }
    }

    private void discard(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (!buffer.hasRemaining() && fill() < 0) {
                throw new EOFException("connection closed inside an oversized frame being discarded");
            }
            int skip = (int) Math.min(left, buffer.remaining());
            buffer.position(buffer.position() + skip);
            left -= skip;
        }
    }
}
