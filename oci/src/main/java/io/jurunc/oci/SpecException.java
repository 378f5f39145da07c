package io.jurunc.oci;

/** A bundle's config.json is missing or malformed. */
public final class SpecException extends Exception {
    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpecException(String message) {
        super(message);
    }
}
