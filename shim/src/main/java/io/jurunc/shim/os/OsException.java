package io.jurunc.shim.os;

/** A system call or helper command failed; the message names the operation, the object and the cause. */
public final class OsException extends Exception {
    public OsException(String message) {
        super(message);
    }

    public OsException(String message, Throwable cause) {
        super(message, cause);
    }
}
