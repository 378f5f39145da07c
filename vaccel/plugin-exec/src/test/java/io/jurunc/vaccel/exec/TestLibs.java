package io.jurunc.vaccel.exec;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles the test C libraries with gcc into a directory. */
public final class TestLibs {
    private TestLibs() {}

    public static Path build(Path dir, String name) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".c");
        try (InputStream in = TestLibs.class.getResourceAsStream("/" + name + ".c")) {
            Files.copy(in, src);
        }
        Path so = dir.resolve(name.startsWith("lib") ? name + ".so" : "lib" + name + ".so");
        List<String> cmd =
                new ArrayList<>(List.of("gcc", "-shared", "-fPIC", "-O2", "-o", so.toString(), src.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("gcc failed for " + name + ": " + out);
        }
        return so;
    }
}
