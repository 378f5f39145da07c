package io.jurunc.wasm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs one module outside any container, for measurements (scripts/bench-wasm.sh):
 * {@code WasmRunMain ENGINE ROOTFS MODULE [ARGS…]} with ROOTFS preopened as {@code /}; prints the module's
 * output, then {@code wasm-run-ns N} (the time of {@code _start} alone, after compiling) on stderr, and exits
 * with the module's status.
 */
public final class WasmRunMain {
    private WasmRunMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: WasmRunMain interpreter|compiler ROOTFS /MODULE.wasm [ARGS...]");
            System.exit(2);
        }
        Engine engine = Engine.parse(args[0]);
        Path rootfs = Path.of(args[1]);
        List<String> wasiArgs = List.of(args).subList(2, args.length);
        WasmConfig cfg = new WasmConfig(
                "bench",
                rootfs,
                rootfs,
                args[2],
                wasiArgs,
                List.of(),
                "/",
                List.of(new Preopen("/", rootfs, true)),
                OptionalLong.empty(),
                Optional.empty(),
                engine,
                false);
        CompiledModule module = ModuleCache.none().get(ModuleBytes.read(rootfs, args[2]), engine);
        WasmInstance instance = WasmInstance.prepare(module, cfg, WasmStdio.inherit(), System.err::println);
        long t0 = System.nanoTime();
        instance.start();
        int status = instance.exit().join();
        long ns = System.nanoTime() - t0;
        System.out.flush();
        System.err.println("wasm-run-ns " + ns);
        System.exit(status);
    }
}
