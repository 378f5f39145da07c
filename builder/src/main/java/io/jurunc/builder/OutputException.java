package io.jurunc.builder;

/** The image could not be written to its destination. Nothing partial is left there. */
public final class OutputException extends BuildException {
    public OutputException(String problem, String fix) {
        super(problemAndFix(problem, fix), null);
    }

    public OutputException(String problem, String fix, Throwable cause) {
        super(problemAndFix(problem, fix), cause);
    }
}
