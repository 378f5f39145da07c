package io.jurunc.runtime.hooks;

import java.nio.file.Path;

/** A hook exited with a non-zero status, or ran past its timeout and was killed. */
public final class HookFailedException extends HookException {
    private final HookStage stage;
    private final Path path;
    private final int status;
    private final boolean timedOut;

    public HookFailedException(HookStage stage, Path path, int status, boolean timedOut, String message) {
        super(message);
        this.stage = stage;
        this.path = path;
        this.status = status;
        this.timedOut = timedOut;
    }

    public HookFailedException(HookStage stage, Path path, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.path = path;
        this.status = -1;
        this.timedOut = false;
    }

    public HookStage stage() {
        return stage;
    }

    public Path path() {
        return path;
    }

    /** The exit status; -1 when it timed out or could not be executed. */
    public int status() {
        return status;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
