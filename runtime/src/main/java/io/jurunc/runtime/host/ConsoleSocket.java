package io.jurunc.runtime.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * runc's {@code --console-socket} protocol: open a pty pair, send the master's fd over the unix
 * socket with SCM_RIGHTS (the payload is the pty's name), keep the slave for the container's stdio.
 */
final class ConsoleSocket {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;

    private ConsoleSocket() {}

    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LIBC = LINKER.defaultLookup();
        static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        static final VarHandle ERRNO_HANDLE =
                Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
        static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
        static final ValueLayout A = ValueLayout.ADDRESS;
        static final MethodHandle POSIX_OPENPT = h("posix_openpt", FunctionDescriptor.of(I, I));
        static final MethodHandle GRANTPT = h("grantpt", FunctionDescriptor.of(I, I));
        static final MethodHandle UNLOCKPT = h("unlockpt", FunctionDescriptor.of(I, I));
        static final MethodHandle PTSNAME_R = h("ptsname_r", FunctionDescriptor.of(I, I, A, L));
        static final MethodHandle SOCKET = h("socket", FunctionDescriptor.of(I, I, I, I));
        static final MethodHandle CONNECT = h("connect", FunctionDescriptor.of(I, I, A, I));
        static final MethodHandle SENDMSG = h("sendmsg", FunctionDescriptor.of(L, I, A, I));
        static final MethodHandle CLOSE = h("close", FunctionDescriptor.of(I, I));

        static MethodHandle h(String name, FunctionDescriptor fd) {
            return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), fd, ERRNO);
        }
    }

    /** Sends a new pty master to {@code socket}; returns the slave's path (e.g. /dev/pts/3). */
    static Path sendPtyMaster(Path socket) throws HostException {
        byte[] sockPath = socket.toString().getBytes(StandardCharsets.UTF_8);
        if (sockPath.length >= 108) {
            throw new HostException("console socket path is longer than 107 bytes: " + socket);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Linker.Option.captureStateLayout());
            int master = (int) Native.POSIX_OPENPT.invokeExact(st, O_RDWR | O_NOCTTY | O_CLOEXEC);
            check(master, st, "posix_openpt");
            int sock = -1;
            try {
                check((int) Native.GRANTPT.invokeExact(st, master), st, "grantpt");
                check((int) Native.UNLOCKPT.invokeExact(st, master), st, "unlockpt");
                MemorySegment name = arena.allocate(128);
                check((int) Native.PTSNAME_R.invokeExact(st, master, name, 128L), st, "ptsname_r");
                String slave = name.getString(0);

                sock = (int) Native.SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                check(sock, st, "socket");
                MemorySegment addr = arena.allocate(110);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(sockPath, 0, addr, ValueLayout.JAVA_BYTE, 2, sockPath.length);
                check(
                        (int) Native.CONNECT.invokeExact(st, sock, addr, 2 + sockPath.length + 1),
                        st,
                        "connect " + socket);

                byte[] payload = slave.getBytes(StandardCharsets.UTF_8);
                MemorySegment data = arena.allocate(payload.length);
                MemorySegment.copy(payload, 0, data, ValueLayout.JAVA_BYTE, 0, payload.length);
                MemorySegment iov = arena.allocate(16, 8);
                iov.set(ValueLayout.ADDRESS, 0, data);
                iov.set(ValueLayout.JAVA_LONG, 8, payload.length);
                MemorySegment cmsg = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
                cmsg.set(ValueLayout.JAVA_LONG, 0, 20); // CMSG_LEN(sizeof(int))
                cmsg.set(ValueLayout.JAVA_INT, 8, SOL_SOCKET);
                cmsg.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
                cmsg.set(ValueLayout.JAVA_INT, 16, master);
                MemorySegment msg = arena.allocate(56, 8); // struct msghdr
                msg.set(ValueLayout.ADDRESS, 16, iov);
                msg.set(ValueLayout.JAVA_LONG, 24, 1);
                msg.set(ValueLayout.ADDRESS, 32, cmsg);
                msg.set(ValueLayout.JAVA_LONG, 40, 24);
                long sent = (long) Native.SENDMSG.invokeExact(st, sock, msg, 0);
                if (sent < 0) check(-1, st, "sendmsg " + socket);
                return Path.of(slave);
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact(st, master);
                if (sock >= 0) ignored = (int) Native.CLOSE.invokeExact(st, sock);
            }
        } catch (HostException e) {
            throw e;
        } catch (Throwable t) {
            throw new HostException("console socket " + socket + ": " + t, t);
        }
    }

    private static void check(int rc, MemorySegment st, String what) throws HostException {
        if (rc < 0) {
            int errno = (int) Native.ERRNO_HANDLE.get(st, 0L);
            throw new HostException(what + " failed (errno " + errno + ")");
        }
    }
}
