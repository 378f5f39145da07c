package io.jurunc.shim.start;

/** {@code start} could not find or start a daemon. */
public final class StartException extends Exception {
    public StartException(String message) {
        super(message);
    }
}
