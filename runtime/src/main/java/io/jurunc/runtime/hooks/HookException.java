package io.jurunc.runtime.hooks;

import io.jurunc.runtime.JuruncException;

/** A hook that cannot be accepted or that failed. */
public abstract sealed class HookException extends JuruncException permits InvalidHookException, HookFailedException {
    protected HookException(String message) {
        super(message);
    }

    protected HookException(String message, Throwable cause) {
        super(message, cause);
    }
}
