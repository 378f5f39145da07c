package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** The bundle (config.json, rootfs, metadata) cannot be run. */
public final class InvalidBundleException extends JuruncException {
    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidBundleException(String message) {
        super(message);
    }
}
