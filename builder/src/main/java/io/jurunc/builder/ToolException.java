package io.jurunc.builder;

/** An external tool (mkfs.ext4, mkfs.erofs, ctr) failed or is missing. */
public final class ToolException extends BuildException {
    public ToolException(String problem, String fix) {
        super(problemAndFix(problem, fix), null);
    }

    public ToolException(String problem, String fix, Throwable cause) {
        super(problemAndFix(problem, fix), cause);
    }
}
