package io.jurunc.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Builds the sandbox helper from runtime/src/main/c/sandbox.c for tests that spawn through it. */
final class SandboxHelperBuild {
    private SandboxHelperBuild() {}

    static Path helper(Path dir) throws Exception {
        Path src = Path.of(System.getProperty("user.dir")).resolveSibling("runtime/src/main/c/sandbox.c");
        assumeTrue(Files.exists(src), "sandbox.c not found at " + src);
        Path out = dir.resolve("jurunc-sandbox");
        Process gcc = new ProcessBuilder(
                        "gcc",
                        "-static",
                        "-Os",
                        "-s",
                        "-Wall",
                        "-Wextra",
                        "-Werror",
                        "-o",
                        out.toString(),
                        src.toString())
                .inheritIO()
                .start();
        assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc could not build the sandbox helper");
        return out;
    }
}
