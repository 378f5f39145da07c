package io.jurunc.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File descriptors: {@code open}, {@code close}, {@code read}, {@code write}, {@code pipe2}, {@code mkfifo},
 * {@code ioctl}, {@code poll}. Failures throw {@link ErrnoException}; the calls that may block are restarted on
 * {@code EINTR}.
 */
public final class Fds {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_CLOEXEC = 0x80000;

    /** {@code poll} events. */
    public static final short POLLIN = 0x1;

    public static final short POLLOUT = 0x4;

    private Fds() {}

    /** The two ends of a pipe. */
    public record Pipe(int readFd, int writeFd) {}

    /** {@code int open(const char *path, int flags, ...)}: the mode is the first variadic argument. */
    private static final class Open {
        static final MethodHandle H = Libc.bind(
                "open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        static final MethodHandle H = Libc.bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Read {
        static final MethodHandle H = Libc.bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Write {
        static final MethodHandle H =
                Libc.bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class Pipe2 {
        static final MethodHandle H = Libc.bind("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Mkfifo {
        static final MethodHandle H = Libc.bind("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /**
     * {@code int ioctl(int fd, unsigned long request, ...)} with one word-sized argument: an integer, or a pointer
     * passed as its address (one handle for both saves a second cold binding).
     */
    private static final class Ioctl {
        static final MethodHandle H = Libc.bind(
                "ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Poll {
        static final MethodHandle H = Libc.bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /** {@code open(path, flags, mode)}; returns the descriptor. */
    public static int open(String path, int flags, int mode) throws ErrnoException {
        return Libc.call("open", path, (a, st) -> (int) Open.H.invokeExact(st, a.allocateFrom(path), flags, mode));
    }

    /** {@code open(path, flags)} of an existing file. */
    public static int open(String path, int flags) throws ErrnoException {
        return open(path, flags, 0);
    }

    /** {@code close(fd)}; not restarted (Linux has released the descriptor even when it reports EINTR). */
    public static void close(int fd) throws ErrnoException {
        Libc.call("close", fd, (a, st) -> (int) Close.H.invokeExact(st, fd));
    }

    /**
     * {@code read(fd, buffer, buffer.length)}.
     *
     * @return the number of bytes read, 0 at end of file
     */
    public static int read(int fd, byte[] buffer) throws ErrnoException {
        return Libc.restarting("read", fd, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, buffer.length));
            int n = (int) (long) Read.H.invokeExact(st, fd, buf, (long) buffer.length);
            if (n > 0) {
                MemorySegment.copy(buf, JAVA_BYTE, 0, buffer, 0, n);
            }
            return n;
        });
    }

    /**
     * {@code read(fd, buffer, length)} into native memory.
     *
     * @return the number of bytes read, 0 at end of file
     */
    public static long read(int fd, MemorySegment buffer, long length) throws ErrnoException {
        checkLength(buffer, length);
        return Libc.restartingLong("read", fd, (a, st) -> (long) Read.H.invokeExact(st, fd, buffer, length));
    }

    /**
     * {@code write(fd, buffer, length)}.
     *
     * @return the number of bytes written
     */
    public static int write(int fd, byte[] buffer, int length) throws ErrnoException {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside the buffer of " + buffer.length);
        }
        return Libc.restarting("write", fd, (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, length));
            MemorySegment.copy(buffer, 0, buf, JAVA_BYTE, 0, length);
            return (int) (long) Write.H.invokeExact(st, fd, buf, (long) length);
        });
    }

    /**
     * {@code write(fd, buffer, length)} from native memory.
     *
     * @return the number of bytes written
     */
    public static long write(int fd, MemorySegment buffer, long length) throws ErrnoException {
        checkLength(buffer, length);
        return Libc.restartingLong("write", fd, (a, st) -> (long) Write.H.invokeExact(st, fd, buffer, length));
    }

    /** {@code pipe2(fds, flags)}, e.g. with {@link #O_CLOEXEC}. */
    public static Pipe pipe(int flags) throws ErrnoException {
        int[] ends = new int[2];
        Libc.call("pipe2", null, (a, st) -> {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int rc = (int) Pipe2.H.invokeExact(st, fds, flags);
            ends[0] = fds.getAtIndex(JAVA_INT, 0);
            ends[1] = fds.getAtIndex(JAVA_INT, 1);
            return rc;
        });
        return new Pipe(ends[0], ends[1]);
    }

    /** {@code mkfifo(path, mode)}; {@link Errno#EEXIST} when the path exists. */
    public static void mkfifo(String path, int mode) throws ErrnoException {
        Libc.call("mkfifo", path, (a, st) -> (int) Mkfifo.H.invokeExact(st, a.allocateFrom(path), mode));
    }

    /** {@code ioctl(fd, request, value)} with an integer argument; returns the ioctl's non-negative result. */
    public static int ioctl(int fd, long request, long value) throws ErrnoException {
        return Libc.call("ioctl", hex(request), (a, st) -> (int) Ioctl.H.invokeExact(st, fd, request, value));
    }

    /**
     * {@code ioctl(fd, request, buf)} with a pointer argument: {@code buffer} is copied to native memory, passed,
     * and copied back (the kernel may write into it, e.g. TUNSETIFF's name).
     */
    public static int ioctl(int fd, long request, byte[] buffer) throws ErrnoException {
        return Libc.call("ioctl", hex(request), (a, st) -> {
            MemorySegment buf = a.allocate(Math.max(1, buffer.length));
            MemorySegment.copy(buffer, 0, buf, JAVA_BYTE, 0, buffer.length);
            int rc = (int) Ioctl.H.invokeExact(st, fd, request, buf.address());
            if (rc >= 0) {
                MemorySegment.copy(buf, JAVA_BYTE, 0, buffer, 0, buffer.length);
            }
            return rc;
        });
    }

    /**
     * {@code poll} on one descriptor for {@code events}, waiting up to {@code timeoutMillis} (negative: forever).
     *
     * @return the events that occurred ({@code revents}), 0 when the time ran out
     */
    public static short poll(int fd, short events, int timeoutMillis) throws ErrnoException {
        short[] revents = new short[1];
        Libc.restarting("poll", fd, (a, st) -> {
            MemorySegment pollfd = a.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, events);
            int n = (int) Poll.H.invokeExact(st, pollfd, 1L, timeoutMillis);
            revents[0] = n > 0 ? pollfd.get(JAVA_SHORT, 6) : 0;
            return n;
        });
        return revents[0];
    }

    private static void checkLength(MemorySegment buffer, long length) {
        if (length < 0 || length > buffer.byteSize()) {
            throw new IllegalArgumentException("length " + length + " outside the buffer of " + buffer.byteSize());
        }
    }

    private static String hex(long request) {
        return "0x" + Long.toHexString(request);
    }
}
