package io.jurunc.shim.cmdline;

/** The shim was invoked with a command line it cannot understand. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
