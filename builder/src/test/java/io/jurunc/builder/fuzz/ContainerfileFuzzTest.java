package io.jurunc.builder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jurunc.builder.BuildException;
import io.jurunc.builder.RegistryException;
import io.jurunc.builder.containerfile.Containerfile;
import io.jurunc.builder.containerfile.ContainerfileParser;
import io.jurunc.builder.containerfile.ContainerfilePlanner;
import io.jurunc.builder.containerfile.ShellWords;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.plan.BaseImageResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the Containerfile parser and planner (issue 11): any input either
 * parses and plans, or fails with a {@link BuildException} (a clear FILE:LINE error); any other
 * exception, a hang or a stack overflow is a bug. The corpus is in
 * src/test/resources/io/jurunc/builder/fuzz/ContainerfileFuzzTestInputs/.
 */
class ContainerfileFuzzTest {
    private static final Path FILE = Path.of("Containerfile");
    /** An empty context: COPY sources fail cleanly; nothing is read outside it. */
    private static final Path CONTEXT;

    private static final Path SCRATCH;
    private static final BaseImageResolver NO_REGISTRY = (ref, p) -> {
        throw new RegistryException("no registry in fuzzing", "none");
    };

    static {
        try {
            CONTEXT = Files.createTempDirectory("jurunc-fuzz-ctx");
            SCRATCH = Files.createTempDirectory("jurunc-fuzz-scratch");
            CONTEXT.toFile().deleteOnExit();
            SCRATCH.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void parseAndPlan(byte[] input) {
        Containerfile cf;
        try {
            cf = ContainerfileParser.parse(FILE, input);
        } catch (BuildException expected) {
            return;
        }
        try {
            ContainerfilePlanner.plan(
                    cf,
                    new ContainerfilePlanner.Options(CONTEXT, SCRATCH, Platform.linux("amd64"), Map.of("V", "1"), null),
                    NO_REGISTRY);
        } catch (BuildException expected) {
            // refused with a located message
        }
        try {
            ShellWords.split(new String(input, StandardCharsets.UTF_8), v -> "x");
        } catch (ShellWords.SyntaxError expected) {
            // unbalanced quotes and the like
        }
    }
}
