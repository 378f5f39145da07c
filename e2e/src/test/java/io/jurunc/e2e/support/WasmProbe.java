package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The module the wasm unit tests use (wasm/…/probe.c), compiled here by clang-14 for wasm32-wasi. */
public final class WasmProbe {
    private WasmProbe() {}

    /**
     * A build context: {@code app.wasm}, a file {@code greeting} ("hello from the image") and
     * {@code containerfile} as its Containerfile.
     */
    public static Path context(Host host, Path dir, String containerfile) throws IOException {
        Files.createDirectories(dir);
        host.run(Command.of(
                                "clang-14",
                                "--target=wasm32-wasi",
                                "--sysroot=/usr",
                                "-O2",
                                "-Wl,--strip-all",
                                "-o",
                                dir.resolve("app.wasm").toString(),
                                Jurunc.repo()
                                        .resolve("wasm/src/test/resources/wasm/probe.c")
                                        .toString())
                        .withTimeout(Duration.ofMinutes(2)))
                .requireSuccess();
        Files.writeString(dir.resolve("greeting"), "hello from the image\n");
        Files.writeString(dir.resolve("Containerfile"), containerfile);
        return dir;
    }
}
