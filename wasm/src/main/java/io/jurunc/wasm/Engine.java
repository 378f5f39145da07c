package io.jurunc.wasm;

import java.util.Locale;

/** How Chicory executes a module: its interpreter, or its compiler to JVM bytecode (the default). */
public enum Engine {
    INTERPRETER,
    COMPILER;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String value) throws WasmException {
        for (Engine e : values()) {
            if (e.key().equals(value)) {
                return e;
            }
        }
        throw new WasmException(WasmConfig.ENGINE + "=" + value + ": use interpreter or compiler");
    }
}
