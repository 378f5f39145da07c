package io.jurunc.wasm;

/** A WASM container that cannot be created or run; the message names the cause and the fix. */
public class WasmException extends Exception {
    public WasmException(String message) {
        super(message);
    }

    public WasmException(String message, Throwable cause) {
        super(message, cause);
    }
}
