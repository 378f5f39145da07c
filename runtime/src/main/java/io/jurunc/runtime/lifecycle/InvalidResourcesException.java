package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** An {@code update} request is malformed or out of range (not JSON, a negative limit, …). */
public final class InvalidResourcesException extends JuruncException {
    public InvalidResourcesException(String message) {
        super(message);
    }
}
