package io.jurunc.shim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds one of the shim's C programs ({@code src/main/c}) for a test; the test is skipped without gcc. */
public final class GccBuild {
    private GccBuild() {}

    /** Compiles {@code src/main/c/<source>} with {@code flags} into {@code binary}; returns {@code binary}. */
    public static Path compile(String source, Path binary, String... flags) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is needed to build " + binary.getFileName());
        List<String> cmd = new ArrayList<>(List.of("gcc"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of(
                "-o",
                binary.toString(),
                Path.of("src/main/c", source).toAbsolutePath().toString()));
        Process cc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(out).isZero();
        return binary;
    }
}
