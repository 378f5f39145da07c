package io.jurunc.runtime.host;

/**
 * How a hook process ended.
 *
 * @param status its exit status (128 + the signal when a signal ended it)
 * @param timedOut true when it ran past its timeout and was killed
 * @param output the start of its stdout and stderr together, for the error message
 */
public record HookExit(int status, boolean timedOut, String output) {
    public boolean succeeded() {
        return !timedOut && status == 0;
    }
}
