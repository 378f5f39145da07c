package io.jurunc.builder;

/**
 * Base of every error the builder reports. The message always says what went wrong and what to do;
 * the CLI prints it and exits non-zero.
 */
public abstract sealed class BuildException extends RuntimeException
        permits BuildFileException, InputException, RegistryException, OutputException, ToolException {

    protected BuildException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Formats {@code problem — fix}. */
    protected static String problemAndFix(String problem, String fix) {
        return fix == null || fix.isBlank() ? problem : problem + " \u2014 " + fix;
    }
}
