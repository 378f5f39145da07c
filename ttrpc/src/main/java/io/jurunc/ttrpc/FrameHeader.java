package io.jurunc.ttrpc;

import java.nio.ByteBuffer;

/**
 * The 10-byte ttrpc frame header: uint32 BE payload length, uint32 BE stream id, uint8 type, uint8 flags.
 *
 * @param length   payload length (unsigned 32 bit, hence a long)
 * @param streamId stream id (unsigned 32 bit, stored in an int; client streams are odd)
 * @param type     raw message type byte (see {@link MessageType})
 * @param flags    raw flags byte (see {@link Frame})
 */
public record FrameHeader(long length, int streamId, byte type, byte flags) {
    public static final int LENGTH = 10;

    public FrameHeader {
        if (length < 0 || length > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("frame length out of uint32 range: " + length);
        }
    }

    /** Decodes the header from the next 10 bytes of {@code buf}. */
    public static FrameHeader decode(ByteBuffer buf) {
        long length = Integer.toUnsignedLong(buf.getInt());
        int streamId = buf.getInt();
        byte type = buf.get();
        byte flags = buf.get();
        return new FrameHeader(length, streamId, type, flags);
    }

    /** Writes the header (big-endian) into {@code buf}. */
    public void encode(ByteBuffer buf) {
        buf.putInt((int) length).putInt(streamId).put(type).put(flags);
    }
}
