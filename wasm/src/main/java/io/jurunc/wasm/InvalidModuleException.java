package io.jurunc.wasm;

/** The entrypoint is missing, not a WebAssembly module, or not a WASI command. */
public final class InvalidModuleException extends WasmException {
    public InvalidModuleException(String message) {
        super(message);
    }

    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
