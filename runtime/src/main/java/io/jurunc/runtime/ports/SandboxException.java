package io.jurunc.runtime.ports;

import io.jurunc.runtime.JuruncException;

/** Setting up the sandbox failed (network, guest image, monitor plan, kernel, resources). */
public class SandboxException extends JuruncException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
