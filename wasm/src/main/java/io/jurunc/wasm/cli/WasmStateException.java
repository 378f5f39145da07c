package io.jurunc.wasm.cli;

import io.jurunc.wasm.WasmException;

/** The container is in the wrong state for the operation, or does not exist. */
public final class WasmStateException extends WasmException {
    public enum Kind {
        NOT_FOUND,
        EXISTS,
        NOT_RUNNING,
        RUNNING,
        NOT_CREATED
    }

    private final Kind kind;

    public WasmStateException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
