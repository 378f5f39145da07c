package io.jurunc.shim.backend;

/** A container operation failed in the backend; the message carries the runtime's own error text. */
public final class BackendException extends Exception {
    public enum Kind {
        NOT_FOUND,
        FAILED_PRECONDITION,
        UNSUPPORTED,
        FAILED
    }

    private final Kind kind;

    public BackendException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BackendException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
