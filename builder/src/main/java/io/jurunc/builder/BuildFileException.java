package io.jurunc.builder;

/** Bad input in a Containerfile or bunnyfile, reported as {@code FILE:LINE: problem — what to do}. */
public final class BuildFileException extends BuildException {
    private final Location location;
    private final String problem;

    public BuildFileException(Location location, String problem, String fix) {
        super(location + ": " + problemAndFix(problem, fix), null);
        this.location = location;
        this.problem = problem;
    }

    public Location location() {
        return location;
    }

    public String problem() {
        return problem;
    }
}
