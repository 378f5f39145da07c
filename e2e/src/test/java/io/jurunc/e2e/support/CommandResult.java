package io.jurunc.e2e.support;

import java.time.Duration;

/** What a finished (or timed-out) command left: exit status and its captured output. */
public record CommandResult(
        Command command, int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Returns this result, or throws {@link CommandFailedException} with the command's output. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /** A multi-line description with both streams, for assertion messages. */
    public String describe() {
        return "$ " + command.display() + "\n"
                + (timedOut ? "(timed out after " + command.timeout().toSeconds() + " s)\n" : "")
                + "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n"
                + "--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
