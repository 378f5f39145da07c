package io.jurunc.runtime.state;

/** The state directory or file cannot be read or written, or is corrupt. */
public final class StateException extends io.jurunc.runtime.JuruncException {
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateException(String message) {
        super(message);
    }
}
