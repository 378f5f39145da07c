package io.jurunc.shim.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A helper command run to completion (runc, the jurunc CLI): its argv, and where its stdio goes. An
 * absent stdin/stdout/stderr path means: stdin from {@link #input} (empty if none), output captured.
 */
public record CommandSpec(
        List<String> argv,
        Optional<Path> stdin,
        Optional<Path> stdout,
        Optional<Path> stderr,
        byte[] input,
        Optional<Path> cwd) {
    public CommandSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        input = input == null ? new byte[0] : input.clone();
        Objects.requireNonNull(cwd, "cwd");
    }

    public static CommandSpec of(List<String> argv) {
        return new CommandSpec(
                argv, Optional.empty(), Optional.empty(), Optional.empty(), new byte[0], Optional.empty());
    }

    public CommandSpec withInput(byte[] bytes) {
        return new CommandSpec(argv, stdin, stdout, stderr, bytes, cwd);
    }

    public CommandSpec withStdio(Optional<Path> in, Optional<Path> out, Optional<Path> err) {
        return new CommandSpec(argv, in, out, err, input, cwd);
    }

    @Override
    public byte[] input() {
        return input.clone();
    }
}
