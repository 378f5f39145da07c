package io.jurunc.builder;

/** A registry refused or failed a request (pull or push). */
public final class RegistryException extends BuildException {
    public RegistryException(String problem, String fix) {
        super(problemAndFix(problem, fix), null);
    }

    public RegistryException(String problem, String fix, Throwable cause) {
        super(problemAndFix(problem, fix), cause);
    }
}
