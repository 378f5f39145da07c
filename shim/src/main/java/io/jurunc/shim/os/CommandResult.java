package io.jurunc.shim.os;

/** Exit code and captured output of a {@link CommandSpec}. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
