package io.jurunc.vaccel;

/**
 * A failed vAccel call. It carries vAccel's error code ({@link #errno()}), so callers, the RPC agent and C
 * shims all see the same number vAccel would return.
 */
public class VaccelException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public VaccelException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public VaccelException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " (" + errno + "=" + errno.code() + ")";
    }

    /** The op has no implementation in the session's plugin ({@code ENOTSUP}). */
    public static final class UnsupportedOpException extends VaccelException {
        private static final long serialVersionUID = 1L;

        public UnsupportedOpException(String message) {
            super(Errno.ENOTSUP, message);
        }
    }

    /** An argument was malformed: wrong type, size, or missing ({@code EINVAL}). */
    public static final class InvalidArgumentException extends VaccelException {
        private static final long serialVersionUID = 1L;

        public InvalidArgumentException(String message) {
            super(Errno.EINVAL, message);
        }
    }

    /** The backend (plugin, library function, remote agent) failed ({@code EBACKEND}/{@code EREMOTEIO}...). */
    public static final class BackendException extends VaccelException {
        private static final long serialVersionUID = 1L;

        public BackendException(Errno errno, String message, Throwable cause) {
            super(errno, message, cause);
        }

        public BackendException(String message) {
            super(Errno.EBACKEND, message);
        }
    }
}
