package io.jurunc.runtime.net;

/**
 * The network namespace already holds another container's jurunc tap: a netns carries at most one
 * sandbox, because its container interface can be redirected to one tap only.
 */
public final class NetnsBusyException extends NetworkSetupException {
    private final String otherTap;

    public NetnsBusyException(String message, String otherTap) {
        super(SetupStep.CHECK_CONFLICT, message, null);
        this.otherTap = otherTap;
    }

    /** The tap that is already there. */
    public String otherTap() {
        return otherTap;
    }
}
