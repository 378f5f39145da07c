package io.jurunc.guest;

/** The guest kit is missing, incomplete or malformed; the message names the file and the fix. */
public final class GuestKitException extends Exception {
    public GuestKitException(String message) {
        super(message);
    }

    public GuestKitException(String message, Throwable cause) {
        super(message, cause);
    }
}
