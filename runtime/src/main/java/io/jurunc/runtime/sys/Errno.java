package io.jurunc.runtime.sys;

/** The errno values the runtime reacts to, and readable names for messages. */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;

    /** e.g. {@code "ENOENT (No such file or directory)"}, or {@code "errno 99"} for others. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (Operation not permitted)";
            case ENOENT -> "ENOENT (No such file or directory)";
            case ESRCH -> "ESRCH (No such process)";
            case EINTR -> "EINTR (Interrupted system call)";
            case EIO -> "EIO (Input/output error)";
            case EBADF -> "EBADF (Bad file descriptor)";
            case EAGAIN -> "EAGAIN (Resource temporarily unavailable)";
            case ENOMEM -> "ENOMEM (Cannot allocate memory)";
            case EACCES -> "EACCES (Permission denied)";
            case EFAULT -> "EFAULT (Bad address)";
            case EBUSY -> "EBUSY (Device or resource busy)";
            case EEXIST -> "EEXIST (File exists)";
            case ENODEV -> "ENODEV (No such device)";
            case ENOTDIR -> "ENOTDIR (Not a directory)";
            case EINVAL -> "EINVAL (Invalid argument)";
            case ENOTTY -> "ENOTTY (Inappropriate ioctl for device)";
            case ENOSYS -> "ENOSYS (Function not implemented)";
            case ELOOP -> "ELOOP (Too many levels of symbolic links)";
            default -> "errno " + errno;
        };
    }
}
