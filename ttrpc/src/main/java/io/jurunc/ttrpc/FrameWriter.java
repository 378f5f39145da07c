package io.jurunc.ttrpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes ttrpc frames to a channel. Thread-safe: each frame is written whole under a lock, so frames of
 * concurrent calls never interleave.
 */
public final class FrameWriter {
    private final WritableByteChannel channel;
    private final int maxMessageLength;
    private final Object lock = new Object();

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
        writeFully(encode(frame));
    }

    /**
     * Writes one frame whose payload is {@code message}, serialised straight into the frame buffer.
     *
     * @throws MessageTooLargeException when the serialised message exceeds the maximum message length;
     *     nothing is written in that case
     */
    public void write(int streamId, MessageType type, MessageLite message) throws IOException, MessageTooLargeException {
        int size = message.getSerializedSize();
        checkLength(size);
        byte[] wire = new byte[FrameHeader.LENGTH + size];
        ByteBuffer buf = ByteBuffer.wrap(wire);
        new FrameHeader(size, streamId, type.code(), (byte) 0).encode(buf);
        CodedOutputStream out = CodedOutputStream.newInstance(wire, FrameHeader.LENGTH, size);
        message.writeTo(out);
        out.checkNoSpaceLeft();
        writeFully(buf.clear());
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        synchronized (lock) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
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
}
