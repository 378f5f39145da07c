package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** The operation is not legal in the container's current status (e.g. start of a running one). */
public final class ContainerStateException extends JuruncException {
    private final boolean waiterGone;

    public ContainerStateException(String message) {
        this(message, false);
    }

    private ContainerStateException(String message, boolean waiterGone) {
        super(message);
        this.waiterGone = waiterGone;
    }

    /** {@code start} found the container's waiting process gone (or, right after create, not yet there). */
    public static ContainerStateException waiterGone(String id) {
        return new ContainerStateException("cannot start container '" + id + "': its waiting process is gone", true);
    }

    /** True when {@code start} failed because the waiting process was not there. */
    public boolean waiterGone() {
        return waiterGone;
    }
}
