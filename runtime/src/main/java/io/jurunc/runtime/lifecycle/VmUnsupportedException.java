package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/**
 * The operation exists for containers but not for a microVM (exec until it is designed, checkpoint,
 * restore, a resource that is fixed at boot). The CLI exits non-zero; the shim answers UNIMPLEMENTED.
 */
public final class VmUnsupportedException extends JuruncException {
    public VmUnsupportedException(String message) {
        super(message);
    }
}
