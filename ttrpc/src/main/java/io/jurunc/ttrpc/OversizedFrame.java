package io.jurunc.ttrpc;

/**
 * A frame whose header announced more than the maximum message length. Its payload has been read and
 * discarded, so the connection is still in sync; the receiver answers the stream with RESOURCE_EXHAUSTED.
 */
public record OversizedFrame(FrameHeader header, int maxLength) implements Inbound {
    public TtrpcException toException() {
        return new MessageTooLargeException(header.length(), maxLength);
    }
}
