package io.jurunc.vaccel;

/**
 * vAccel's error codes. They equal the Linux errno values, which is what travels over RPC
 * ({@code vaccel.Error.ffi_error}) and what C callers see.
 */
public enum Errno {
    EPERM(1),
    ENOENT(2),
    EIO(5),
    ENOEXEC(8),
    EBADF(9),
    EAGAIN(11),
    ENOMEM(12),
    EACCES(13),
    EFAULT(14),
    EBUSY(16),
    EEXIST(17),
    ENODEV(19),
    ENOTDIR(20),
    EINVAL(22),
    ENOSPC(28),
    EROFS(30),
    EMLINK(31),
    ERANGE(34),
    ENAMETOOLONG(36),
    ENOSYS(38),
    ELOOP(40),
    EPROTO(71),
    ELIBBAD(80),
    EUSERS(87),
    ENOTSUP(95),
    ECONNRESET(104),
    EINPROGRESS(115),
    EREMOTEIO(121);

    /** vAccel's {@code VACCEL_ESESS}. */
    public static final Errno ESESS = ECONNRESET;
    /** vAccel's {@code VACCEL_EBACKEND}. */
    public static final Errno EBACKEND = EPROTO;

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The Errno for a numeric code; unknown codes map to {@link #EIO}. */
    public static Errno of(int code) {
        for (Errno e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return EIO;
    }
}
