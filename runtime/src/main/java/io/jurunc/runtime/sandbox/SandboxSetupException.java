package io.jurunc.runtime.sandbox;

import io.jurunc.runtime.JuruncException;

/** The monitor's confinement cannot be prepared: the message names the cause and the fix. */
public final class SandboxSetupException extends JuruncException {
    public SandboxSetupException(String message) {
        super(message);
    }

    public SandboxSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
