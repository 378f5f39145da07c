package io.jurunc.libc;

/**
 * A C library call failed: carries the function's name, the captured {@code errno} and its symbolic name. React
 * to {@link #errno()} (compared with {@link Errno}'s constants), never to the message.
 */
public final class ErrnoException extends Exception {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    /**
     * @param detail what the call was about, e.g. the path that was opened; may be null
     */
    public ErrnoException(String call, int errno, Object detail) {
        super(call + (detail == null ? "" : "(" + detail + ")") + " failed: " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The C function that failed, e.g. {@code "open"}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** e.g. {@code "ENOENT"}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
