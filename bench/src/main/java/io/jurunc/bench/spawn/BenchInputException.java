package io.jurunc.bench.spawn;

/** A results file the report cannot use: names the file, the line and what is wrong with it. */
public final class BenchInputException extends Exception {
    public BenchInputException(String message) {
        super(message);
    }

    public BenchInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
