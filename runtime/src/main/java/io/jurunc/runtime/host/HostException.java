package io.jurunc.runtime.host;

/** An OS operation failed; the message names the operation and the errno text. */
public final class HostException extends io.jurunc.runtime.JuruncException {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
