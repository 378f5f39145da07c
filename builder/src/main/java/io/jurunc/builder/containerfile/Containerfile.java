package io.jurunc.builder.containerfile;

import java.nio.file.Path;
import java.util.List;

/** A parsed Containerfile: its path (for messages), the {@code # syntax=} directive if any, and the instructions. */
public record Containerfile(Path file, String syntax, List<Instruction> instructions) {
    public Containerfile {
        instructions = List.copyOf(instructions);
    }
}
