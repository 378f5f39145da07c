package io.jurunc.ttrpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes ttrpc frames to a channel. Thread-safe: each frame is written whole under a lock, so frames of
 * concurrent calls never interleave.
 *
 * <p>Messages are serialised straight into one direct buffer per connection and written out as it fills,
 * so a large payload is copied once (heap to native) and never needs a heap or native copy of its own
 * size; a small frame is one write call.
 */
public final class FrameWriter {
    private static final int BUFFER_SIZE = 128 * 1024;

    private final WritableByteChannel channel;
    private final int maxMessageLength;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private ChannelOutput out;

    public FrameWriter(WritableByteChannel channel, int maxMessageLength) {
        this.channel = channel;
        this.maxMessageLength = MessageLimits.requireValid(maxMessageLength);
    }

    /**
     * Writes one frame.
     *
     * @throws MessageTooLargeException when the payload exceeds the maximum message length; nothing is
     *     written in that case
     */
    public void write(Frame frame) throws IOException, MessageTooLargeException {
        checkLength(frame.payload().length);
        synchronized (lock) {
            ChannelOutput o = output();
            o.header(frame.header());
            o.write(frame.payload(), 0, frame.payload().length);
            o.flush();
        }
    }

    /**
     * Writes one frame whose payload is {@code message}, serialised straight into the frame buffer.
     *
     * @throws MessageTooLargeException when the serialised message exceeds the maximum message length;
     *     nothing is written in that case
     */
    public void write(int streamId, MessageType type, MessageLite message)
            throws IOException, MessageTooLargeException {
        write(streamId, type, (byte) 0, message);
    }

    /** Like {@link #write(int, MessageType, MessageLite)} with header flags (e.g. {@link Frame#FLAG_REMOTE_OPEN}). */
    public void write(int streamId, MessageType type, byte flags, MessageLite message)
            throws IOException, MessageTooLargeException {
        write(streamId, type, flags, Payload.of(message));
    }

    /** Writes one frame whose payload is serialised straight from {@code payload} into the connection's buffer. */
    public void write(int streamId, MessageType type, byte flags, Payload payload)
            throws IOException, MessageTooLargeException {
        int size = payload.size();
        checkLength(size);
        synchronized (lock) {
            ChannelOutput o = output();
            o.header(new FrameHeader(size, streamId, type.code(), flags));
            // a frame that fits is serialised straight into the direct buffer (no heap array, no copy per frame)
            CodedOutputStream coded = size <= o.buf.remaining()
                    ? CodedOutputStream.newInstance(o.buf)
                    : CodedOutputStream.newInstance(o, Math.min(Math.max(size, 64), 8192));
            payload.writeTo(coded);
            coded.flush();
            o.flush();
        }
    }

    private ChannelOutput output() {
        if (out == null) {
            out = new ChannelOutput(channel);
        }
        return out;
    }

    /** Throws when {@code length} exceeds the maximum message length. */
    public void checkLength(int length) throws MessageTooLargeException {
        if (length > maxMessageLength) {
            throw new MessageTooLargeException(length, maxMessageLength);
        }
    }

    /** The wire bytes of a frame: 10-byte header followed by the payload. */
    public static ByteBuffer encode(Frame frame) {
        ByteBuffer buf = ByteBuffer.allocate(FrameHeader.LENGTH + frame.payload().length);
        frame.header().encode(buf);
        buf.put(frame.payload());
        return buf.flip();
    }

    /** Buffers bytes in a direct buffer and writes it to the channel whenever it is full. */
    private static final class ChannelOutput extends OutputStream {
        private final WritableByteChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_SIZE);

        ChannelOutput(WritableByteChannel channel) {
            this.channel = channel;
        }

        void header(FrameHeader h) {
            h.encode(buf);
        }

        @Override
        public void write(int b) throws IOException {
            if (!buf.hasRemaining()) {
                drain();
            }
            buf.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!buf.hasRemaining()) {
                    drain();
                }
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
        }

        private void drain() throws IOException {
            buf.flip();
            try {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            } finally {
                buf.clear();
            }
        }
    }
}
