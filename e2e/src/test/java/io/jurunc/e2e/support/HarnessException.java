package io.jurunc.e2e.support;

/** The test environment could not be set up or torn down (not a failure of the code under test). */
public final class HarnessException extends RuntimeException {

    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
