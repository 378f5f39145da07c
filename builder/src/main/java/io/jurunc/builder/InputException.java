package io.jurunc.builder;

/** Bad input that has no place in a build file: a missing context, a bad flag value, a bad kernel. */
public final class InputException extends BuildException {
    public InputException(String problem, String fix) {
        super(problemAndFix(problem, fix), null);
    }

    public InputException(String problem, String fix, Throwable cause) {
        super(problemAndFix(problem, fix), cause);
    }
}
