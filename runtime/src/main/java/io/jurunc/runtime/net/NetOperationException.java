package io.jurunc.runtime.net;

/**
 * One operation on a network namespace failed (an {@code ip}/{@code tc} command or a tap ioctl).
 * The message names the command and carries the tool's error output.
 */
public final class NetOperationException extends Exception {
    private final boolean netnsGone;

    public NetOperationException(String message, boolean netnsGone, Throwable cause) {
        super(message, cause);
        this.netnsGone = netnsGone;
    }

    public NetOperationException(String message) {
        this(message, false, null);
    }

    /** The namespace no longer exists (or never did), so nothing was done in it. */
    public static NetOperationException netnsGone(NetnsRef netns, Throwable cause) {
        return new NetOperationException(
                "network namespace " + netns + " does not exist (or is no longer a namespace)", true, cause);
    }

    public boolean netnsGone() {
        return netnsGone;
    }
}
