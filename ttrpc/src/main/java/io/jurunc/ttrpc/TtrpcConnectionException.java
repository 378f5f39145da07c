package io.jurunc.ttrpc;

/** The connection failed or was closed before the call completed (status UNAVAILABLE). */
public final class TtrpcConnectionException extends TtrpcException {
    public TtrpcConnectionException(String message) {
        super(StatusCode.UNAVAILABLE, message);
    }

    public TtrpcConnectionException(String message, Throwable cause) {
        super(StatusCode.UNAVAILABLE, message, cause);
    }
}
