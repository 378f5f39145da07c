package io.jurunc.ttrpc;

import java.util.Arrays;
import java.util.Objects;

/**
 * One ttrpc frame: stream id, raw type and flags bytes, and the payload.
 *
 * <p>The payload array is not copied; frames are handed from the reader to one consumer.
 */
public record Frame(int streamId, byte type, byte flags, byte[] payload) implements Inbound {
    /** REQUEST and DATA flag: the sender will send no more data on this stream. */
    public static final byte FLAG_REMOTE_CLOSED = 0x01;
    /** REQUEST flag: the sender keeps the stream open for more DATA frames (streaming). */
    public static final byte FLAG_REMOTE_OPEN = 0x02;
    /** DATA flag: the frame carries no data. */
    public static final byte FLAG_NO_DATA = 0x04;

    public Frame {
        Objects.requireNonNull(payload, "payload");
    }

    public Frame(int streamId, MessageType type, byte[] payload) {
        this(streamId, type.code(), (byte) 0, payload);
    }

    public FrameHeader header() {
        return new FrameHeader(payload.length, streamId, type, flags);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && f.streamId == streamId
                && f.type == type
                && f.flags == flags
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, type, flags, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "Frame[stream=" + Integer.toUnsignedString(streamId) + ", type=" + type + ", flags=" + flags
                + ", length=" + payload.length + "]";
    }
}
