package io.jurunc.runtime.vm;

/**
 * A mount of {@code spec.mounts} that is malformed ({@link Reason#INVALID}) or that this guest and
 * monitor cannot take ({@link Reason#UNSUPPORTED}); the message names the mount and the way out.
 */
public final class MountException extends VmConfigException {
    /** Why the mount is refused. */
    public enum Reason {
        INVALID,
        UNSUPPORTED
    }

    private final Reason reason;
    private final String destination;

    public MountException(Reason reason, String destination, String message) {
        super("mount " + destination + ": " + message);
        this.reason = reason;
        this.destination = destination;
    }

    public Reason reason() {
        return reason;
    }

    public String destination() {
        return destination;
    }
}
