package io.jurunc.runtime.net;

/** Removing a container's tap or tc rules failed; the message names what is left behind. */
public final class NetworkTeardownException extends Exception {
    public NetworkTeardownException(String message, Throwable cause) {
        super(message, cause);
    }
}
