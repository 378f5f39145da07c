package io.jurunc.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sockets the JDK does not offer: AF_UNIX (paths and abstract names), AF_VSOCK and netlink descriptors, peer
 * credentials, and descriptors passed with {@code SCM_RIGHTS}. Failures throw {@link ErrnoException}; the calls
 * that may block are restarted on {@code EINTR} ({@code connect} is not: a restarted connect fails).
 */
public final class Sockets {
    public static final int AF_UNIX = 1;
    public static final int AF_NETLINK = 16;
    public static final int AF_VSOCK = 40;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_PEERCRED = 17;
    public static final int SCM_RIGHTS = 1;
    public static final int SHUT_RDWR = 2;

    /** Received descriptors are close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    /** {@code VMADDR_CID_ANY}, {@code VMADDR_CID_LOCAL}, {@code VMADDR_CID_HOST}. */
    public static final int VMADDR_CID_ANY = -1;

    public static final int VMADDR_CID_LOCAL = 1;
    public static final int VMADDR_CID_HOST = 2;

    /** {@code SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD} (a {@code struct timeval}) at level {@link #AF_VSOCK}. */
    public static final int SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD = 6;

    /** {@code sizeof(struct sockaddr_vm)}: family, reserved, port, cid, flags, zero[3]. */
    static final int SOCKADDR_VM_SIZE = 16;

    /** The most descriptors {@link #sendFds}/{@link #receiveFds} move in one message (the kernel's SCM_MAX_FD). */
    public static final int MAX_FDS = 253;

    private Sockets() {}

    /** Both ends of a {@code socketpair}. */
    public record Pair(int first, int second) {}

    /** An accepted AF_VSOCK connection and the peer's address. */
    public record VsockPeer(int fd, SockAddr.Vsock peer) {}

    /** {@code struct ucred} of a unix socket's peer ({@code SO_PEERCRED}). */
    public record PeerCredentials(int pid, int uid, int gid) {}

    /** What {@link #receiveFds} got: the bytes of data and the descriptors that came with them. */
    public record Received(int bytes, int[] fds) {}

    private static final class Socket {
        static final MethodHandle H =
                Libc.bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Socketpair {
        static final MethodHandle H =
                Libc.bind("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    private static final class Bind {
        static final MethodHandle H = Libc.bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Listen {
        static final MethodHandle H = Libc.bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Accept4 {
        static final MethodHandle H =
                Libc.bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class Connect {
        static final MethodHandle H =
                Libc.bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Setsockopt {
        static final MethodHandle H = Libc.bind(
                "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Getsockopt {
        static final MethodHandle H = Libc.bind(
                "getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class Shutdown {
        static final MethodHandle H = Libc.bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Sendmsg {
        static final MethodHandle H =
                Libc.bind("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Recvmsg {
        static final MethodHandle H =
                Libc.bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /**
     * {@code socket(domain, type, protocol)}; returns the descriptor. A netlink socket belongs to the network
     * namespace of the thread that creates it.
     */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        return Libc.call("socket", domain + ", " + type + ", " + protocol, (a, st) ->
                (int) Socket.H.invokeExact(st, domain, type, protocol));
    }

    /** {@code socketpair(domain, type, protocol, sv)}: two connected sockets. */
    public static Pair socketpair(int domain, int type, int protocol) throws ErrnoException {
        int[] sv = new int[2];
        Libc.call("socketpair", domain + ", " + type + ", " + protocol, (a, st) -> {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int rc = (int) Socketpair.H.invokeExact(st, domain, type, protocol, fds);
            sv[0] = fds.getAtIndex(JAVA_INT, 0);
            sv[1] = fds.getAtIndex(JAVA_INT, 1);
            return rc;
        });
        return new Pair(sv[0], sv[1]);
    }

    /** {@code bind(fd, address)}. */
    public static void bind(int fd, SockAddr address) throws ErrnoException {
        Libc.call("bind", address, (a, st) -> {
            MemorySegment sa = encode(address, a);
            return (int) Bind.H.invokeExact(st, fd, sa, (int) sa.byteSize());
        });
    }

    /** {@code listen(fd, backlog)}. */
    public static void listen(int fd, int backlog) throws ErrnoException {
        Libc.call("listen", fd, (a, st) -> (int) Listen.H.invokeExact(st, fd, backlog));
    }

    /** {@code connect(fd, address)}. */
    public static void connect(int fd, SockAddr address) throws ErrnoException {
        Libc.call("connect", address, (a, st) -> {
            MemorySegment sa = encode(address, a);
            return (int) Connect.H.invokeExact(st, fd, sa, (int) sa.byteSize());
        });
    }

    /** {@code accept4(fd, NULL, NULL, flags)}: a connection on any stream socket; returns its descriptor. */
    public static int accept(int fd, int flags) throws ErrnoException {
        return Libc.restarting("accept4", fd, (a, st) ->
                (int) Accept4.H.invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
    }

    /** {@code accept4} on an AF_VSOCK listener, with the peer's CID and port. */
    public static VsockPeer acceptVsock(int fd, int flags) throws ErrnoException {
        int[] peer = new int[2];
        int cfd = Libc.restarting("accept4", fd, (a, st) -> {
            MemorySegment sa = a.allocate(SOCKADDR_VM_SIZE, 4);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, SOCKADDR_VM_SIZE);
            int rc = (int) Accept4.H.invokeExact(st, fd, sa, len, flags);
            peer[0] = sa.get(JAVA_INT, 8);
            peer[1] = sa.get(JAVA_INT, 4);
            return rc;
        });
        return new VsockPeer(cfd, new SockAddr.Vsock(peer[0], peer[1]));
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}. */
    public static void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        Libc.call("setsockopt", fd + ", " + level + ", " + name, (a, st) -> {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (int) Setsockopt.H.invokeExact(st, fd, level, name, v, (int) JAVA_INT.byteSize());
        });
    }

    /** {@code setsockopt} of a {@code struct timeval} option, e.g. {@link #SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD}. */
    public static void setsockopt(int fd, int level, int name, Duration value) throws ErrnoException {
        Libc.call("setsockopt", fd + ", " + level + ", " + name, (a, st) -> {
            MemorySegment tv = a.allocate(16, 8); // struct timeval { time_t tv_sec; suseconds_t tv_usec; }
            tv.set(JAVA_LONG, 0, value.toSeconds());
            tv.set(JAVA_LONG, 8, value.toMillisPart() * 1000L);
            return (int) Setsockopt.H.invokeExact(st, fd, level, name, tv, 16);
        });
    }

    /** {@code getsockopt(fd, SOL_SOCKET, SO_PEERCRED)}: who is at the other end of a unix socket. */
    public static PeerCredentials peerCredentials(int fd) throws ErrnoException {
        int[] cred = new int[3];
        Libc.call("getsockopt", "SO_PEERCRED", (a, st) -> {
            MemorySegment ucred = a.allocate(12, 4); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 12);
            int rc = (int) Getsockopt.H.invokeExact(st, fd, SOL_SOCKET, SO_PEERCRED, ucred, len);
            for (int i = 0; i < 3; i++) {
                cred[i] = ucred.getAtIndex(JAVA_INT, i);
            }
            return rc;
        });
        return new PeerCredentials(cred[0], cred[1], cred[2]);
    }

    /** {@code shutdown(fd, how)}, e.g. {@link #SHUT_RDWR}. */
    public static void shutdown(int fd, int how) throws ErrnoException {
        Libc.call("shutdown", fd, (a, st) -> (int) Shutdown.H.invokeExact(st, fd, how));
    }

    /**
     * {@code sendmsg} of {@code payload} with the descriptors {@code fds} attached as one {@code SCM_RIGHTS}
     * message (runc's console socket, for one); returns the number of bytes sent.
     */
    public static int sendFds(int fd, byte[] payload, int... fds) throws ErrnoException {
        if (payload.length == 0 || fds.length == 0 || fds.length > MAX_FDS) {
            throw new IllegalArgumentException("sendmsg needs a payload and 1.." + MAX_FDS + " descriptors");
        }
        return (int) Libc.restartingLong("sendmsg", fd, (a, st) -> {
            MemorySegment data = a.allocate(payload.length);
            MemorySegment.copy(payload, 0, data, JAVA_BYTE, 0, payload.length);
            MemorySegment control = a.allocate(cmsgSpace(fds.length), 8);
            control.set(JAVA_LONG, CMSG_LEN, cmsgLen(fds.length));
            control.set(JAVA_INT, CMSG_LEVEL, SOL_SOCKET);
            control.set(JAVA_INT, CMSG_TYPE, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.set(JAVA_INT, CMSG_DATA + 4L * i, fds[i]);
            }
            return (long) Sendmsg.H.invokeExact(st, fd, msghdr(a, data, control), 0);
        });
    }

    /**
     * {@code recvmsg} into {@code buffer}, taking up to {@code maxFds} descriptors from an {@code SCM_RIGHTS}
     * message (received close-on-exec). Data of 0 bytes is the end of the stream.
     */
    public static Received receiveFds(int fd, byte[] buffer, int maxFds) throws ErrnoException {
        if (buffer.length == 0 || maxFds < 1 || maxFds > MAX_FDS) {
            throw new IllegalArgumentException("recvmsg needs a buffer and room for 1.." + MAX_FDS + " descriptors");
        }
        int[][] got = new int[1][];
        int n = (int) Libc.restartingLong("recvmsg", fd, (a, st) -> {
            MemorySegment data = a.allocate(buffer.length);
            MemorySegment control = a.allocate(cmsgSpace(maxFds), 8);
            MemorySegment msg = msghdr(a, data, control);
            long r = (long) Recvmsg.H.invokeExact(st, fd, msg, MSG_CMSG_CLOEXEC);
            if (r >= 0) {
                MemorySegment.copy(data, JAVA_BYTE, 0, buffer, 0, (int) r);
                got[0] = rightsIn(control, msg.get(JAVA_LONG, MSG_CONTROLLEN));
            }
            return r;
        });
        return new Received(n, got[0]);
    }

    // struct msghdr (LP64): name@0, namelen@8, iov@16, iovlen@24, control@32, controllen@40, flags@48; 56 bytes.
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSGHDR_SIZE = 56;
    // struct cmsghdr (LP64): len@0 (size_t), level@8, type@12, data@16.
    private static final long CMSG_LEN = 0;
    private static final long CMSG_LEVEL = 8;
    private static final long CMSG_TYPE = 12;
    private static final long CMSG_DATA = 16;

    private static long cmsgLen(int fds) {
        return CMSG_DATA + 4L * fds;
    }

    private static long cmsgSpace(int fds) {
        return (cmsgLen(fds) + 7) & ~7L;
    }

    private static MemorySegment msghdr(Arena a, MemorySegment data, MemorySegment control) {
        MemorySegment iov = a.allocate(16, 8); // struct iovec { void *base; size_t len; }
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, data.byteSize());
        MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
        msg.set(ADDRESS, MSG_IOV, iov);
        msg.set(JAVA_LONG, MSG_IOVLEN, 1);
        msg.set(ADDRESS, MSG_CONTROL, control);
        msg.set(JAVA_LONG, MSG_CONTROLLEN, control.byteSize());
        return msg;
    }

    /** The descriptors of the first SCM_RIGHTS message in {@code control}'s first {@code length} bytes. */
    private static int[] rightsIn(MemorySegment control, long length) {
        if (length < CMSG_DATA) {
            return new int[0];
        }
        long cmsgLen = control.get(JAVA_LONG, CMSG_LEN);
        if (control.get(JAVA_INT, CMSG_LEVEL) != SOL_SOCKET
                || control.get(JAVA_INT, CMSG_TYPE) != SCM_RIGHTS
                || cmsgLen < CMSG_DATA
                || cmsgLen > length) {
            return new int[0];
        }
        int[] fds = new int[(int) ((cmsgLen - CMSG_DATA) / 4)];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = control.get(JAVA_INT, CMSG_DATA + 4L * i);
        }
        return fds;
    }

    /** The C struct for {@code address}, sized as the call's address length. */
    private static MemorySegment encode(SockAddr address, Arena arena) {
        return switch (address) {
            case SockAddr.UnixPath(String path) -> unix(arena, path.getBytes(StandardCharsets.UTF_8), 2, 1);
            case SockAddr.UnixAbstract(String name) -> unix(arena, name.getBytes(StandardCharsets.UTF_8), 3, 0);
            case SockAddr.Vsock(int cid, int port) -> {
                MemorySegment sa = arena.allocate(SOCKADDR_VM_SIZE, 4);
                sa.set(JAVA_SHORT, 0, (short) AF_VSOCK);
                sa.set(JAVA_INT, 4, port);
                sa.set(JAVA_INT, 8, cid);
                yield sa;
            }
        };
    }

    /** {@code struct sockaddr_un} with the name at {@code offset}, the length covering {@code trailing} NULs. */
    private static MemorySegment unix(Arena arena, byte[] name, int offset, int trailing) {
        MemorySegment sa = arena.allocate(SockAddr.SOCKADDR_UN_SIZE, 2);
        sa.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, sa, JAVA_BYTE, offset, name.length);
        return sa.asSlice(0, offset + name.length + trailing);
    }
}
