package io.jurunc.wasm.cli;

import io.jurunc.wasm.CompiledModule;
import io.jurunc.wasm.ModuleBytes;
import io.jurunc.wasm.ModuleCache;
import io.jurunc.wasm.WasmConfig;
import io.jurunc.wasm.WasmException;
import io.jurunc.wasm.WasmInstance;
import io.jurunc.wasm.WasmStdio;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The process {@code jurunc create} leaves for a WASM container, as runc leaves its init: it loads,
 * compiles and prepares the module, says so with {@code ready} (or writes {@code error} and exits 1),
 * then blocks on the start FIFO; {@code jurunc start} releases it and it runs {@code _start}. Its exit status
 * is the module's. Signals reach the instance as in the shim daemon: each ends it with 128 + signal.
 */
public final class WasmContainerMain {
    static final String READY = "ready";
    static final String ERROR = "error";
    static final String FIFO = "start.fifo";
    private static final String[] SIGNALS = {"TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "ALRM", "PIPE"};

    private WasmContainerMain() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: WasmContainerMain STATE_DIR ID BUNDLE");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        WasmInstance instance;
        try {
            WasmConfig cfg = WasmConfig.load(args[1], Path.of(args[2]));
            CompiledModule module =
                    ModuleCache.none().get(ModuleBytes.read(cfg.rootfs(), cfg.modulePath()), cfg.engine());
            instance = WasmInstance.prepare(module, cfg, WasmStdio.inherit(), m -> System.err.println("jurunc: " + m));
        } catch (WasmException | RuntimeException e) {
            fail(dir, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> instance.signal(s.getNumber()));
            } catch (IllegalArgumentException e) {
                // used by the JVM itself: that signal keeps the JVM's meaning
            }
        }
        instance.exit().thenAccept(status -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        });
        try {
            touch(dir.resolve(READY));
            try (InputStream in = new FileInputStream(dir.resolve(FIFO).toFile())) {
                if (in.read() < 0) {
                    Runtime.getRuntime().halt(1); // the FIFO was closed without a start
                }
            }
        } catch (IOException e) {
            fail(dir, "waiting for start: " + e.getMessage());
            return;
        }
        instance.start();
        instance.exit().join();
        // the exit action halts the JVM with the module's status
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void fail(Path dir, String message) {
        try {
            Path tmp = dir.resolve("." + ERROR + ".tmp");
            Files.writeString(tmp, message, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(ERROR), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("jurunc: " + message);
        }
        Runtime.getRuntime().halt(1);
    }

    private static void touch(Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, "");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
