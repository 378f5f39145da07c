package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;

/** The operation is not legal in the container's current status (e.g. start of a running one). */
public final class ContainerStateException extends JuruncException {
    /** Why: callers decide on this, never on the message. */
    public enum Reason {
        /** The container's status does not allow the operation. */
        STATUS,
        /** {@code start} found the waiting process gone (or, right after create, not yet there). */
        WAITER_GONE,
        /** An earlier jurunc version created the container; its VM plan is in a layout this one does not read. */
        EARLIER_VERSION
    }

    private final Reason reason;

    public ContainerStateException(String message) {
        this(message, Reason.STATUS);
    }

    private ContainerStateException(String message, Reason reason) {
        super(message);
        this.reason = reason;
    }

    /** {@code start} found the container's waiting process gone (or, right after create, not yet there). */
    public static ContainerStateException waiterGone(String id) {
        return new ContainerStateException(
                "cannot start container '" + id + "': its waiting process is gone", Reason.WAITER_GONE);
    }

    /** The container's record was written by an earlier jurunc version, whose VM plan this one cannot start. */
    public static ContainerStateException earlierVersion(String id) {
        return new ContainerStateException(
                "cannot start container '" + id + "': an earlier jurunc version created it and its VM plan is in "
                        + "a layout this version does not read; delete it and create it again",
                Reason.EARLIER_VERSION);
    }

    public Reason reason() {
        return reason;
    }

    /** True when {@code start} failed because the waiting process was not there. */
    public boolean waiterGone() {
        return reason == Reason.WAITER_GONE;
    }
}
