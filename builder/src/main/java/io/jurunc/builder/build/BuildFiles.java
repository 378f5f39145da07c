package io.jurunc.builder.build;

import io.jurunc.builder.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Finds the build file and tells a Containerfile from a bunnyfile. */
public final class BuildFiles {
    public enum Kind {
        CONTAINERFILE,
        BUNNYFILE
    }

    private static final Pattern INSTRUCTION =
            Pattern.compile("(?i)(FROM|ARG|COPY|ADD|LABEL|ENV|CMD|ENTRYPOINT|WORKDIR|USER|EXPOSE|RUN)(\\s.*)?");
    private static final Pattern YAML_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*\\s*:(\\s.*)?");

    private BuildFiles() {}

    /**
     * {@code -f} when given (relative to the working directory); else {@code Containerfile},
     * {@code Dockerfile} or {@code bunnyfile} in the context; else bima's fallbacks
     * {@code ./Containerfile} and {@code ./Dockerfile} in the working directory.
     */
    public static Path locate(Path context, Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new InputException("build file " + explicit + " does not exist", "check the -f path");
            }
            return explicit;
        }
        for (Path p : List.of(
                context.resolve("Containerfile"),
                context.resolve("Dockerfile"),
                context.resolve("bunnyfile"),
                Path.of("Containerfile"),
                Path.of("Dockerfile"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new InputException(
                "no Containerfile, Dockerfile or bunnyfile in " + context, "add one to the context or pass -f FILE");
    }

    /**
     * A bunnyfile's first meaningful line is a YAML key ({@code version:}); a Containerfile's is an
     * instruction. Comments (including {@code #syntax=}) and blank lines are skipped.
     */
    public static Kind detect(String text) {
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (INSTRUCTION.matcher(t).matches()) {
                return Kind.CONTAINERFILE;
            }
            if (YAML_KEY.matcher(t).matches()) {
                return Kind.BUNNYFILE;
            }
            return Kind.CONTAINERFILE;
        }
        return Kind.BUNNYFILE;
    }
}
