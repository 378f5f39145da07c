package io.jurunc.builder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jurunc.builder.BuildException;
import io.jurunc.builder.build.BuildFiles;
import io.jurunc.builder.bunnyfile.BunnyfileParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the bunnyfile (YAML) parser and the build-file detection (issue 11):
 * any input either parses or fails with a {@link BuildException}; any other exception, a hang or a
 * stack overflow (deeply nested YAML) is a bug. The corpus is in
 * src/test/resources/io/jurunc/builder/fuzz/BunnyfileFuzzTestInputs/.
 */
class BunnyfileFuzzTest {
    private static final Path FILE = Path.of("bunnyfile");

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        BuildFiles.detect(text);
        try {
            BunnyfileParser.parse(FILE, text);
        } catch (BuildException expected) {
            // refused with a located message
        }
    }
}
