package io.jurunc.wasm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parsed, validated module, ready to instantiate any number of times; with the compiler engine it also
 * holds the JVM classes Chicory generated for it.
 */
public record CompiledModule(
        String digest, Engine engine, WasmModule module, Optional<Function<Instance, Machine>> machineFactory) {}
