package io.jurunc.ttrpc;

/** Limits shared by the reader, writer, client and server. */
public final class MessageLimits {
    /** containerd/ttrpc's maximum message length: 4 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 4 << 20;

    private MessageLimits() {
    }

    static int requireValid(int maxMessageLength) {
        if (maxMessageLength <= 0) {
            throw new IllegalArgumentException("maximum message length must be positive, got " + maxMessageLength);
        }
        return maxMessageLength;
    }
}
