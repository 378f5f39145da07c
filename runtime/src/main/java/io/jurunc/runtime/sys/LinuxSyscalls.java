package io.jurunc.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@link Syscalls} through java.lang.foreign, calling the C library's wrappers with {@code errno}
 * captured per call. Each downcall handle is bound on its first use (a holder class per function),
 * so loading this class costs nothing and a caller pays only for the functions it calls.
 */
final class LinuxSyscalls implements Syscalls {
    static final LinuxSyscalls INSTANCE = new LinuxSyscalls();

    private LinuxSyscalls() {}

    /** The linker and errno capture, set up on first call. */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO =
                STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

        @SuppressWarnings("restricted") // the runtime is started with --enable-native-access
        static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
            SymbolLookup libc = LINKER.defaultLookup();
            MemorySegment symbol =
                    libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
            Linker.Option[] options = new Linker.Option[extra.length + 1];
            options[0] = CAPTURE;
            System.arraycopy(extra, 0, options, 1, extra.length);
            return LINKER.downcallHandle(symbol, fd, options);
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }

    // One holder per function: a downcall handle costs milliseconds to spin up in a cold JVM, so
    // each is bound only when first called.

    /** {@code int open(const char *path, int flags, ...)}: the mode is the first variadic argument. */
    private static final class Open {
        static final MethodHandle H = Native.bind(
                "open",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        static final MethodHandle H =
                Native.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Setns {
        static final MethodHandle H = Native.bind(
                "setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /**
     * {@code int ioctl(int fd, unsigned long request, ...)} with one word-sized argument: an integer,
     * or a pointer passed as its address (one handle for both saves a second cold binding).
     */
    private static final class IoctlLong {
        static final MethodHandle H = Native.bind(
                "ioctl",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Read {
        static final MethodHandle H = Native.bind(
                "read",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Write {
        static final MethodHandle H = Native.bind(
                "write",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Mkfifo {
        static final MethodHandle H = Native.bind(
                "mkfifo", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class Socket {
        static final MethodHandle H = Native.bind(
                "socket",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Setsockopt {
        static final MethodHandle H = Native.bind(
                "setsockopt",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
    }

    /** {@code int prctl(int option, ...)}: the arguments after the option are variadic. */
    private static final class Prctl {
        static final MethodHandle H = Native.bind(
                "prctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    private static final class Waitpid {
        static final MethodHandle H = Native.bind(
                "waitpid",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class Kill {
        static final MethodHandle H = Native.bind(
                "kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) Mkfifo.H.invokeExact(state, arena.allocateFrom(path), mode);
            if (rc < 0) {
                throw new ErrnoException("mkfifo", Native.errno(state), path);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native mkfifo failed", t);
        }
    }

    @Override
    public int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int fd = (int) Open.H.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new ErrnoException("open", Native.errno(state), path);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native open failed", t);
        }
    }

    @Override
    public void close(int fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) Close.H.invokeExact(state, fd);
            if (rc < 0) {
                throw new ErrnoException("close", Native.errno(state), Integer.toString(fd));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native close failed", t);
        }
    }

    @Override
    public void setns(int fd, int nstype) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) Setns.H.invokeExact(state, fd, nstype);
            if (rc < 0) {
                throw new ErrnoException("setns", Native.errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native setns failed", t);
        }
    }

    @Override
    public int ioctl(int fd, long request, byte[] buffer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment buf = arena.allocate(buffer.length);
            MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, buffer.length);
            int rc = (int) IoctlLong.H.invokeExact(state, fd, request, buf.address());
            if (rc < 0) {
                throw new ErrnoException("ioctl", Native.errno(state), "0x" + Long.toHexString(request));
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, buffer.length);
            return rc;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native ioctl failed", t);
        }
    }

    @Override
    public int ioctl(int fd, long request, long value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) IoctlLong.H.invokeExact(state, fd, request, value);
            if (rc < 0) {
                throw new ErrnoException("ioctl", Native.errno(state), "0x" + Long.toHexString(request));
            }
            return rc;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native ioctl failed", t);
        }
    }

    @Override
    public int read(int fd, byte[] buffer) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment buf = arena.allocate(Math.max(1, buffer.length));
            long n = (long) Read.H.invokeExact(state, fd, buf, (long) buffer.length);
            if (n < 0) {
                throw new ErrnoException("read", Native.errno(state), Integer.toString(fd));
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native read failed", t);
        }
    }

    @Override
    public int write(int fd, byte[] buffer, int length) throws ErrnoException {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside the buffer");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment buf = arena.allocate(Math.max(1, length));
            MemorySegment.copy(buffer, 0, buf, ValueLayout.JAVA_BYTE, 0, length);
            long n = (long) Write.H.invokeExact(state, fd, buf, (long) length);
            if (n < 0) {
                throw new ErrnoException("write", Native.errno(state), Integer.toString(fd));
            }
            return (int) n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native write failed", t);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int fd = (int) Socket.H.invokeExact(state, domain, type, protocol);
            if (fd < 0) {
                throw new ErrnoException("socket", Native.errno(state), domain + ", " + type + ", " + protocol);
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native socket failed", t);
        }
    }

    @Override
    public void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            int rc = (int) Setsockopt.H.invokeExact(state, fd, level, name, v, 4);
            if (rc < 0) {
                throw new ErrnoException("setsockopt", Native.errno(state), fd + ", " + level + ", " + name);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native setsockopt failed", t);
        }
    }

    @Override
    public void kill(int pid, int signal) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) Kill.H.invokeExact(state, pid, signal);
            if (rc < 0) {
                throw new ErrnoException("kill", Native.errno(state), pid + ", " + signal);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native kill failed", t);
        }
    }

    private static final int PR_SET_CHILD_SUBREAPER = 36;

    @Override
    public void becomeChildSubreaper() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            int rc = (int) Prctl.H.invokeExact(state, PR_SET_CHILD_SUBREAPER, 1L);
            if (rc < 0) {
                throw new ErrnoException("prctl", Native.errno(state), "PR_SET_CHILD_SUBREAPER");
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native prctl failed", t);
        }
    }

    @Override
    public int waitExit(int pid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            while (true) {
                int rc = (int) Waitpid.H.invokeExact(state, pid, status, 0);
                if (rc >= 0) {
                    int s = status.get(ValueLayout.JAVA_INT, 0);
                    int signal = s & 0x7f;
                    return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
                }
                int errno = Native.errno(state);
                if (errno != Errno.EINTR) {
                    throw new ErrnoException("waitpid", errno, Integer.toString(pid));
                }
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native waitpid failed", t);
        }
    }
}
