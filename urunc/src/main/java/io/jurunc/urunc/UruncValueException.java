package io.jurunc.urunc;

/** A metadata value that cannot be decoded; the message names the key, the problem and the fix. */
public final class UruncValueException extends Exception {
    private final String key;
    private final String problem;
    private final String fix;

    public UruncValueException(String key, String problem, String fix) {
        super(key + ": " + problem + "; " + fix);
        this.key = key;
        this.problem = problem;
        this.fix = fix;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
