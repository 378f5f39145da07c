package io.jurunc.ttrpc;

/**
 * A message exceeds the maximum message length (status RESOURCE_EXHAUSTED, text as in containerd/ttrpc).
 */
public final class MessageTooLargeException extends TtrpcException {
    public MessageTooLargeException(long length, int maxLength) {
        super(StatusCode.RESOURCE_EXHAUSTED, text(length, maxLength));
    }

    static String text(long length, int maxLength) {
        return "message length " + length + " exceed maximum message size of " + maxLength;
    }
}
