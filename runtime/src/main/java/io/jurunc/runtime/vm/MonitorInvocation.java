package io.jurunc.runtime.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The process the container becomes: argv (argv[0] is the monitor binary) plus the generated
 * files the monitor reads (e.g. Firecracker's JSON config), written before the exec.
 */
public record MonitorInvocation(List<String> argv, List<GeneratedFile> files) {
    public MonitorInvocation {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        files = files == null ? List.of() : List.copyOf(files);
        if (argv.isEmpty()) throw new IllegalArgumentException("argv is empty");
    }

    /** A file the monitor needs, with its full content. */
    public record GeneratedFile(Path path, String content) {}
}
