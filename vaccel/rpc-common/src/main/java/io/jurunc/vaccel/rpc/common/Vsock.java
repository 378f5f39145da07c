package io.jurunc.vaccel.rpc.common;

import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Processes;
import io.jurunc.libc.SockAddr;
import io.jurunc.libc.Sockets;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * AF_VSOCK and abstract unix sockets on the project's libc binding (the JDK has neither): listen, accept,
 * connect, read, write, shutdown, close, with failures as {@link IOException}s that name the call and errno.
 */
public final class Vsock {
    public static final int AF_VSOCK = Sockets.AF_VSOCK;
    /** VMADDR_CID_ANY: bind on every CID. */
    public static final int CID_ANY = Sockets.VMADDR_CID_ANY;

    public static final int CID_LOCAL = Sockets.VMADDR_CID_LOCAL;
    public static final int CID_HOST = Sockets.VMADDR_CID_HOST;
    private static final int STREAM = Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC;

    private Vsock() {}

    private static IOException error(String what, ErrnoException e) {
        return new IOException(what + ": " + e.getMessage(), e);
    }

    /** A listening socket of {@code domain} bound to {@code address}; closed again when binding fails. */
    private static int listening(int domain, SockAddr address, int backlog, String what) throws IOException {
        int fd = socket(domain);
        try {
            Sockets.bind(fd, address);
            Sockets.listen(fd, backlog);
            return fd;
        } catch (ErrnoException e) {
            close(fd);
            throw error(what, e);
        }
    }

    /** A socket of {@code domain} connected to {@code address}; closed again when connecting fails. */
    private static int connected(int domain, SockAddr address, Duration timeout, String what) throws IOException {
        int fd = socket(domain);
        try {
            if (timeout != null) {
                try {
                    Sockets.setsockopt(fd, AF_VSOCK, Sockets.SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD, timeout);
                } catch (ErrnoException ignored) {
                    // an older kernel: connect waits its own default time
                }
            }
            Sockets.connect(fd, address);
            return fd;
        } catch (ErrnoException e) {
            close(fd);
            throw error(what, e);
        }
    }

    private static int socket(int domain) throws IOException {
        try {
            return Sockets.socket(domain, STREAM, 0);
        } catch (ErrnoException e) {
            throw error(domain == AF_VSOCK ? "vsock socket" : "unix socket", e);
        }
    }

    /** A listening socket bound to the abstract unix name {@code @name} (Linux); returns its fd. */
    static int listenAbstract(String name, int backlog) throws IOException {
        return listening(Sockets.AF_UNIX, new SockAddr.UnixAbstract(name), backlog, "cannot listen on unix://@" + name);
    }

    /** Connects to the abstract unix name {@code @name}; returns the fd. */
    static int connectAbstract(String name) throws IOException {
        return connected(Sockets.AF_UNIX, new SockAddr.UnixAbstract(name), null, "cannot connect to unix://@" + name);
    }

    /** The peer's uid of a connected unix socket ({@code SO_PEERCRED}). */
    static int peerUid(int fd) throws IOException {
        try {
            return Sockets.peerCredentials(fd).uid();
        } catch (ErrnoException e) {
            throw error("SO_PEERCRED", e);
        }
    }

    /** This process's effective uid. */
    static int euid() {
        return Processes.geteuid();
    }

    /** Accepts a connection on any stream socket; returns its fd. */
    static int acceptAny(int fd) throws IOException {
        try {
            return Sockets.accept(fd, Sockets.SOCK_CLOEXEC);
        } catch (ErrnoException e) {
            throw error("accept", e);
        }
    }

    /** A listening vsock socket bound to {@code cid:port}; returns its fd. */
    static int listen(int cid, int port, int backlog) throws IOException {
        return listening(AF_VSOCK, new SockAddr.Vsock(cid, port), backlog, "vsock bind");
    }

    /**
     * Waits up to {@code timeoutMillis} for the fd to become readable (a pending connection or data);
     * true when it is. Used so that a closed listener is noticed even where shutdown(2) does not wake accept.
     */
    static boolean pollIn(int fd, int timeoutMillis) throws IOException {
        try {
            return Fds.poll(fd, Fds.POLLIN, timeoutMillis) != 0;
        } catch (ErrnoException e) {
            throw error("vsock poll", e);
        }
    }

    /** Accepts a connection; returns the fd and the peer's cid/port. */
    static int[] accept(int fd) throws IOException {
        try {
            Sockets.VsockPeer accepted = Sockets.acceptVsock(fd, Sockets.SOCK_CLOEXEC);
            return new int[] {
                accepted.fd(), accepted.peer().cid(), accepted.peer().port()
            };
        } catch (ErrnoException e) {
            throw error("vsock accept", e);
        }
    }

    /** Connects to {@code cid:port}, giving up after {@code timeoutMillis}; returns the fd. */
    static int connect(int cid, int port, long timeoutMillis) throws IOException {
        return connected(AF_VSOCK, new SockAddr.Vsock(cid, port), Duration.ofMillis(timeoutMillis), "vsock connect");
    }

    /** Reads up to {@code len} bytes into native memory; -1 at end of stream. */
    static long read(int fd, MemorySegment buf, long len) throws IOException {
        try {
            long n = Fds.read(fd, buf, len);
            return n == 0 ? -1 : n;
        } catch (ErrnoException e) {
            throw error("vsock read", e);
        }
    }

    static long write(int fd, MemorySegment buf, long len) throws IOException {
        try {
            return Fds.write(fd, buf, len);
        } catch (ErrnoException e) {
            throw error("vsock write", e);
        }
    }

    static void shutdown(int fd) {
        try {
            Sockets.shutdown(fd, Sockets.SHUT_RDWR);
        } catch (ErrnoException ignored) {
            // best effort: close follows
        }
    }

    static void close(int fd) {
        try {
            Fds.close(fd);
        } catch (ErrnoException ignored) {
            // the descriptor is released either way: nothing left to do
        }
    }
}
