package io.jurunc.libc;

/**
 * Linux {@code errno} values (x86_64 and aarch64 share them) that callers react to, and their names for
 * messages. The constants are plain {@code int}s so that a caller can compare {@link ErrnoException#errno()}
 * with them or switch on it.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int ENOTSOCK = 88;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;

    /** The symbolic name, e.g. {@code "EBADF"}, or {@code "errno 99"} for a value not listed here. */
    public static String name(int errno) {
        Known k = Known.of(errno);
        return k == null ? "errno " + errno : k.name();
    }

    /** e.g. {@code "ENOENT (No such file or directory)"}, or {@code "errno 999"} for a value not listed here. */
    public static String describe(int errno) {
        Known k = Known.of(errno);
        return k == null ? "errno " + errno : k.name() + " (" + k.text + ")";
    }

    /** The listed values with their C library texts; loaded only when a message is made. */
    private enum Known {
        EPERM(Errno.EPERM, "Operation not permitted"),
        ENOENT(Errno.ENOENT, "No such file or directory"),
        ESRCH(Errno.ESRCH, "No such process"),
        EINTR(Errno.EINTR, "Interrupted system call"),
        EIO(Errno.EIO, "Input/output error"),
        ENXIO(Errno.ENXIO, "No such device or address"),
        E2BIG(Errno.E2BIG, "Argument list too long"),
        ENOEXEC(Errno.ENOEXEC, "Exec format error"),
        EBADF(Errno.EBADF, "Bad file descriptor"),
        ECHILD(Errno.ECHILD, "No child processes"),
        EAGAIN(Errno.EAGAIN, "Resource temporarily unavailable"),
        ENOMEM(Errno.ENOMEM, "Cannot allocate memory"),
        EACCES(Errno.EACCES, "Permission denied"),
        EFAULT(Errno.EFAULT, "Bad address"),
        EBUSY(Errno.EBUSY, "Device or resource busy"),
        EEXIST(Errno.EEXIST, "File exists"),
        ENODEV(Errno.ENODEV, "No such device"),
        ENOTDIR(Errno.ENOTDIR, "Not a directory"),
        EISDIR(Errno.EISDIR, "Is a directory"),
        EINVAL(Errno.EINVAL, "Invalid argument"),
        EMFILE(Errno.EMFILE, "Too many open files"),
        ENOTTY(Errno.ENOTTY, "Inappropriate ioctl for device"),
        ENOSPC(Errno.ENOSPC, "No space left on device"),
        EROFS(Errno.EROFS, "Read-only file system"),
        EPIPE(Errno.EPIPE, "Broken pipe"),
        ENAMETOOLONG(Errno.ENAMETOOLONG, "File name too long"),
        ENOSYS(Errno.ENOSYS, "Function not implemented"),
        ELOOP(Errno.ELOOP, "Too many levels of symbolic links"),
        ENOTSOCK(Errno.ENOTSOCK, "Socket operation on non-socket"),
        ENOPROTOOPT(Errno.ENOPROTOOPT, "Protocol not available"),
        EPROTONOSUPPORT(Errno.EPROTONOSUPPORT, "Protocol not supported"),
        EOPNOTSUPP(Errno.EOPNOTSUPP, "Operation not supported"),
        EAFNOSUPPORT(Errno.EAFNOSUPPORT, "Address family not supported by protocol"),
        EADDRINUSE(Errno.EADDRINUSE, "Address already in use"),
        EADDRNOTAVAIL(Errno.EADDRNOTAVAIL, "Cannot assign requested address"),
        ENETUNREACH(Errno.ENETUNREACH, "Network is unreachable"),
        ECONNABORTED(Errno.ECONNABORTED, "Software caused connection abort"),
        ECONNRESET(Errno.ECONNRESET, "Connection reset by peer"),
        ENOTCONN(Errno.ENOTCONN, "Transport endpoint is not connected"),
        ETIMEDOUT(Errno.ETIMEDOUT, "Connection timed out"),
        ECONNREFUSED(Errno.ECONNREFUSED, "Connection refused"),
        EHOSTUNREACH(Errno.EHOSTUNREACH, "No route to host");

        final int value;
        final String text;

        Known(int value, String text) {
            this.value = value;
            this.text = text;
        }

        static Known of(int errno) {
            for (Known k : values()) {
                if (k.value == errno) {
                    return k;
                }
            }
            return null;
        }
    }
}
