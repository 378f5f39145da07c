package io.jurunc.wasm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds the test modules from C with Debian's clang-14 for wasm32-wasi (scripts/install-deps.sh installs it). */
final class WasmToolchain {
    private WasmToolchain() {}

    static Path compile(String resource, Path out) throws IOException, InterruptedException {
        Path src = out.resolveSibling(Path.of(resource).getFileName().toString());
        try (var in = WasmToolchain.class.getResourceAsStream("/wasm/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource /wasm/" + resource);
            }
            Files.write(src, in.readAllBytes());
        }
        List<String> cmd = List.of(
                "clang-14",
                "--target=wasm32-wasi",
                "--sysroot=/usr",
                "-O2",
                "-Wl,--strip-all",
                "-o",
                out.toString(),
                src.toString());
        Result r = run(cmd, null, 120);
        if (r.status() != 0) {
            throw new IOException(
                    "clang-14 failed (install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32): " + r.stderr());
        }
        return out;
    }

    record Result(int status, String stdout, String stderr) {}

    static Result run(List<String> cmd, byte[] stdin, int timeoutSeconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("wasm-run");
        try {
            Path out = dir.resolve("out");
            Path err = dir.resolve("err");
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Process p = pb.start();
            try (var os = p.getOutputStream()) {
                if (stdin != null) {
                    os.write(stdin);
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            for (String f : new String[] {"out", "err"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }
}
