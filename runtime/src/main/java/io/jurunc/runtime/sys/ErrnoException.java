package io.jurunc.runtime.sys;

/** A system call failed; carries the call's name and {@code errno}. */
public final class ErrnoException extends Exception {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    /**
     * @param detail extra context, e.g. the path that was opened; may be null
     */
    public ErrnoException(String call, int errno, String detail) {
        super(call + (detail == null ? "" : "(" + detail + ")") + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
