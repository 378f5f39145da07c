package io.jurunc.wasm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compiled modules by digest and engine: in the shim daemon a module is parsed and compiled once and
 * every later container of the same image only instantiates it. Bounded (least recently used goes).
 */
public final class ModuleCache {
    private final int capacity;
    private final Map<String, CompiledModule> entries;
    private long hits;
    private long misses;

    public ModuleCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** No caching: each call compiles (the CLI's process per container). */
    public static ModuleCache none() {
        return new ModuleCache(0);
    }

    public CompiledModule get(ModuleBytes bytes, Engine engine) throws InvalidModuleException {
        String key = bytes.digest() + "/" + engine.key();
        synchronized (this) {
            CompiledModule c = entries.get(key);
            if (c != null) {
                hits++;
                return c;
            }
            misses++;
        }
        CompiledModule c = compile(bytes, engine);
        synchronized (this) {
            if (capacity > 0) {
                entries.put(key, c);
                while (entries.size() > capacity) {
                    entries.remove(entries.keySet().iterator().next());
                }
            }
        }
        return c;
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    static CompiledModule compile(ModuleBytes bytes, Engine engine) throws InvalidModuleException {
        WasmModule module;
        try {
            module = Parser.parse(bytes.bytes());
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidModuleException(
                    "the entrypoint " + bytes.guestPath() + " is not a valid WebAssembly " + "module: "
                            + e.getMessage(),
                    e);
        }
        if (!exportsStart(module)) {
            throw new InvalidModuleException("the module " + bytes.guestPath() + " exports no _start function: it is "
                    + "not a WASI command (a reactor/library module cannot run as a container)");
        }
        Optional<Function<Instance, Machine>> factory = Optional.empty();
        if (engine == Engine.COMPILER) {
            try {
                factory = Optional.of(MachineFactoryCompiler.compile(module));
            } catch (ChicoryException | IllegalArgumentException | IllegalStateException e) {
                throw new InvalidModuleException(
                        "the module " + bytes.guestPath() + " cannot be compiled: " + e.getMessage(), e);
            }
        }
        return new CompiledModule(bytes.digest(), engine, module, factory);
    }

    private static boolean exportsStart(WasmModule module) {
        ExportSection exports = module.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export e = exports.getExport(i);
            if (e.name().equals("_start") && e.exportType() == ExternalType.FUNCTION) {
                return true;
            }
        }
        return false;
    }
}
