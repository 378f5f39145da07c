package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** An exec request that cannot be sent to the guest (no command, a NUL byte, a relative cwd...). */
public final class InvalidExecException extends JuruncException {
    public InvalidExecException(String message) {
        super(message);
    }
}
