package io.jurunc.e2e.support;

/** A command the harness needed exited non-zero or ran past its limit. */
public final class CommandFailedException extends RuntimeException {

    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
