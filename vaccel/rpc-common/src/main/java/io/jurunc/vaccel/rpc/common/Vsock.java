package io.jurunc.vaccel.rpc.common;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * AF_VSOCK sockets through FFM (the JDK has none): socket/bind/listen/accept/connect/read/write/shutdown/
 * close from libc, with errno captured. Method handles are created on first use.
 */
public final class Vsock {
    public static final int AF_VSOCK = 40;
    /** VMADDR_CID_ANY: bind on every CID. */
    public static final int CID_ANY = -1;

    public static final int CID_LOCAL = 1;
    public static final int CID_HOST = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SHUT_RDWR = 2;
    private static final int SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD = 6;
    private static final int EINTR = 4;

    /** {@code struct sockaddr_vm}: family, reserved, port, cid, flags, zero[3]. */
    static final StructLayout SOCKADDR_VM = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("family"), ValueLayout.JAVA_SHORT.withName("reserved1"),
            ValueLayout.JAVA_INT.withName("port"), ValueLayout.JAVA_INT.withName("cid"),
            ValueLayout.JAVA_BYTE.withName("flags"),
                    MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_BYTE).withName("zero"));

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private record Calls(
            MethodHandle socket,
            MethodHandle bind,
            MethodHandle listen,
            MethodHandle accept,
            MethodHandle connect,
            MethodHandle read,
            MethodHandle write,
            MethodHandle shutdown,
            MethodHandle close,
            MethodHandle setsockopt,
            MethodHandle strerror,
            MethodHandle poll,
            MethodHandle getsockopt,
            MethodHandle geteuid) {}

    private static volatile Calls calls;

    private Vsock() {}

    private static Calls calls() {
        Calls c = calls;
        if (c == null) {
            Linker l = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            var i = ValueLayout.JAVA_INT;
            var p = ValueLayout.ADDRESS;
            var j = ValueLayout.JAVA_LONG;
            c = new Calls(
                    h(l, "socket", FunctionDescriptor.of(i, i, i, i), errno),
                    h(l, "bind", FunctionDescriptor.of(i, i, p, i), errno),
                    h(l, "listen", FunctionDescriptor.of(i, i, i), errno),
                    h(l, "accept4", FunctionDescriptor.of(i, i, p, p, i), errno),
                    h(l, "connect", FunctionDescriptor.of(i, i, p, i), errno),
                    h(l, "read", FunctionDescriptor.of(j, i, p, j), errno),
                    h(l, "write", FunctionDescriptor.of(j, i, p, j), errno),
                    h(l, "shutdown", FunctionDescriptor.of(i, i, i), errno),
                    h(l, "close", FunctionDescriptor.of(i, i), errno),
                    h(l, "setsockopt", FunctionDescriptor.of(i, i, i, i, p, i), errno),
                    l.downcallHandle(
                            l.defaultLookup().find("strerror").orElseThrow(),
                            FunctionDescriptor.of(
                                    ValueLayout.ADDRESS.withTargetLayout(
                                            MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE)),
                                    i)),
                    h(l, "poll", FunctionDescriptor.of(i, p, j, i), errno),
                    h(l, "getsockopt", FunctionDescriptor.of(i, i, i, i, p, p), errno),
                    l.downcallHandle(l.defaultLookup().find("geteuid").orElseThrow(), FunctionDescriptor.of(i)));
            calls = c;
        }
        return c;
    }

    private static MethodHandle h(Linker l, String name, FunctionDescriptor fd, Linker.Option opt) {
        return l.downcallHandle(
                l.defaultLookup()
                        .find(name)
                        .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name)),
                fd,
                opt);
    }

    private static IOException error(String what, int errno) {
        String msg;
        try {
            MemorySegment s = (MemorySegment) calls().strerror().invokeExact(errno);
            msg = s.getString(0);
        } catch (Throwable t) {
            msg = "errno " + errno;
        }
        return new IOException(what + ": " + msg + " (errno " + errno + ")");
    }

    private static MemorySegment sockaddr(Arena a, int cid, int port) {
        MemorySegment sa = a.allocate(SOCKADDR_VM);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_VSOCK);
        sa.set(ValueLayout.JAVA_INT, 4, port);
        sa.set(ValueLayout.JAVA_INT, 8, cid);
        return sa;
    }

    private static final int AF_UNIX = 1;
    /** {@code sizeof(struct sockaddr_un)}: family + 108 bytes of path. */
    private static final int SOCKADDR_UN_SIZE = 110;

    /** {@code struct sockaddr_un} for an abstract name: a NUL, then the name (no terminator); returns it and its length. */
    private static MemorySegment abstractSockaddr(Arena a, String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > SOCKADDR_UN_SIZE - 3) {
            throw new IllegalArgumentException(
                    "abstract unix socket name must be 1.." + (SOCKADDR_UN_SIZE - 3) + " bytes: '" + name + "'");
        }
        MemorySegment sa = a.allocate(SOCKADDR_UN_SIZE, 2);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(n, 0, sa, ValueLayout.JAVA_BYTE, 3, n.length);
        return sa.asSlice(0, 3 + n.length);
    }

    /** A listening socket bound to the abstract unix name {@code @name} (Linux); returns its fd. */
    static int listenAbstract(String name, int backlog) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = abstractSockaddr(a, name);
            int fd = (int) c.socket().invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("unix socket", (int) ERRNO.get(st, 0L));
            }
            if ((int) c.bind().invokeExact(st, fd, sa, (int) sa.byteSize()) < 0
                    || (int) c.listen().invokeExact(st, fd, backlog) < 0) {
                int e = (int) ERRNO.get(st, 0L);
                close(fd);
                throw error("cannot listen on unix://@" + name, e);
            }
            return fd;
        } catch (IOException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("abstract unix listen failed: " + t, t);
        }
    }

    /** Connects to the abstract unix name {@code @name}; returns the fd. */
    static int connectAbstract(String name) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = abstractSockaddr(a, name);
            int fd = (int) c.socket().invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("unix socket", (int) ERRNO.get(st, 0L));
            }
            if ((int) c.connect().invokeExact(st, fd, sa, (int) sa.byteSize()) < 0) {
                int e = (int) ERRNO.get(st, 0L);
                close(fd);
                throw error("cannot connect to unix://@" + name, e);
            }
            return fd;
        } catch (IOException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("abstract unix connect failed: " + t, t);
        }
    }

    /** The peer's uid of a connected unix socket ({@code SO_PEERCRED}'s {@code struct ucred}). */
    static int peerUid(int fd) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment cred = a.allocate(12, 4);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 12);
            if ((int) c.getsockopt().invokeExact(st, fd, 1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, cred, len) < 0) {
                throw error("getsockopt SO_PEERCRED", (int) ERRNO.get(st, 0L));
            }
            return cred.get(ValueLayout.JAVA_INT, 4);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("SO_PEERCRED failed: " + t, t);
        }
    }

    /** This process's effective uid. */
    static int euid() {
        try {
            return (int) calls().geteuid().invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid failed", t);
        }
    }

    /** Accepts a connection on any stream socket; returns its fd. */
    static int acceptAny(int fd) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                int cfd = (int) c.accept().invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (cfd >= 0) {
                    return cfd;
                }
                int e = (int) ERRNO.get(st, 0L);
                if (e != EINTR) {
                    throw error("accept", e);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("accept failed: " + t, t);
        }
    }

    /** A listening vsock socket bound to {@code cid:port}; returns its fd. */
    static int listen(int cid, int port, int backlog) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) c.socket().invokeExact(st, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("vsock socket", (int) ERRNO.get(st, 0L));
            }
            if ((int) c.bind().invokeExact(st, fd, sockaddr(a, cid, port), (int) SOCKADDR_VM.byteSize()) < 0) {
                int e = (int) ERRNO.get(st, 0L);
                close(fd);
                throw error("vsock bind " + Integer.toUnsignedString(cid) + ":" + port, e);
            }
            if ((int) c.listen().invokeExact(st, fd, backlog) < 0) {
                int e = (int) ERRNO.get(st, 0L);
                close(fd);
                throw error("vsock listen", e);
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock listen failed: " + t, t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the fd to become readable (a pending connection or data);
     * true when it is. Used so that a closed listener is noticed even where shutdown(2) does not wake accept.
     */
    static boolean pollIn(int fd, int timeoutMillis) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment pfd = a.allocate(8, 4);
            pfd.set(ValueLayout.JAVA_INT, 0, fd);
            pfd.set(ValueLayout.JAVA_SHORT, 4, (short) 1);
            int n = (int) c.poll().invokeExact(st, pfd, 1L, timeoutMillis);
            if (n < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == EINTR) {
                    return false;
                }
                throw error("vsock poll", e);
            }
            return n > 0;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock poll failed: " + t, t);
        }
    }

    /** Accepts a connection; returns the fd and the peer's cid/port. */
    static int[] accept(int fd) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = a.allocate(SOCKADDR_VM);
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            while (true) {
                len.set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_VM.byteSize());
                int cfd = (int) c.accept().invokeExact(st, fd, sa, len, SOCK_CLOEXEC);
                if (cfd >= 0) {
                    return new int[] {cfd, sa.get(ValueLayout.JAVA_INT, 8), sa.get(ValueLayout.JAVA_INT, 4)};
                }
                int e = (int) ERRNO.get(st, 0L);
                if (e != EINTR) {
                    throw error("vsock accept", e);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock accept failed: " + t, t);
        }
    }

    /** Connects to {@code cid:port}, giving up after {@code timeoutMillis}; returns the fd. */
    static int connect(int cid, int port, long timeoutMillis) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) c.socket().invokeExact(st, AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("vsock socket", (int) ERRNO.get(st, 0L));
            }
            MemorySegment tv = a.allocate(16);
            tv.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
            tv.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1000);
            int ignored = (int) c.setsockopt().invokeExact(st, fd, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD, tv, 16);
            if ((int) c.connect().invokeExact(st, fd, sockaddr(a, cid, port), (int) SOCKADDR_VM.byteSize()) < 0) {
                int e = (int) ERRNO.get(st, 0L);
                close(fd);
                throw error("vsock connect " + Integer.toUnsignedString(cid) + ":" + port, e);
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock connect failed: " + t, t);
        }
    }

    /** Reads up to {@code len} bytes into native memory; -1 at end of stream. */
    static long read(int fd, MemorySegment buf, long len) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long n = (long) c.read().invokeExact(st, fd, buf, len);
                if (n > 0) {
                    return n;
                }
                if (n == 0) {
                    return -1;
                }
                int e = (int) ERRNO.get(st, 0L);
                if (e != EINTR) {
                    throw error("vsock read", e);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock read failed: " + t, t);
        }
    }

    static long write(int fd, MemorySegment buf, long len) throws IOException {
        Calls c = calls();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long n = (long) c.write().invokeExact(st, fd, buf, len);
                if (n >= 0) {
                    return n;
                }
                int e = (int) ERRNO.get(st, 0L);
                if (e != EINTR) {
                    throw error("vsock write", e);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("vsock write failed: " + t, t);
        }
    }

    static void shutdown(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) calls().shutdown().invokeExact(a.allocate(CAPTURE), fd, SHUT_RDWR);
        } catch (Throwable ignored) {
            // best effort: close follows
        }
    }

    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) calls().close().invokeExact(a.allocate(CAPTURE), fd);
        } catch (Throwable ignored) {
            // nothing left to do
        }
    }
}
