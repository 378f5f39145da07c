package io.jurunc.runtime;

/** Base of jurunc's typed, user-facing errors: the message says what is wrong and how to fix it. */
public abstract class JuruncException extends Exception {
    protected JuruncException(String message) {
        super(message);
    }

    protected JuruncException(String message, Throwable cause) {
        super(message, cause);
    }
}
