package io.jurunc.builder;

import java.nio.file.Path;

/** A position in a build file: the file and a 1-based line. */
public record Location(Path file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
