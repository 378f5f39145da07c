package io.jurunc.runtime.host;

import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Ptys;
import io.jurunc.libc.SockAddr;
import io.jurunc.libc.Sockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * runc's {@code --console-socket} protocol: open a pty pair, send the master's fd over the unix
 * socket with SCM_RIGHTS (the payload is the pty's name), keep the slave for the container's stdio.
 */
final class ConsoleSocket {
    private ConsoleSocket() {}

    /** Sends a new pty master to {@code socket}; returns the slave's path (e.g. /dev/pts/3). */
    static Path sendPtyMaster(Path socket) throws HostException {
        SockAddr.UnixPath address;
        try {
            address = new SockAddr.UnixPath(socket.toString());
        } catch (IllegalArgumentException e) {
            throw new HostException("console socket path is not a usable unix socket path: " + socket, e);
        }
        int master = -1;
        int sock = -1;
        try {
            master = Ptys.posixOpenpt(Fds.O_RDWR | Fds.O_NOCTTY | Fds.O_CLOEXEC);
            Ptys.grantpt(master);
            Ptys.unlockpt(master);
            String slave = Ptys.ptsname(master);
            sock = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
            Sockets.connect(sock, address);
            Sockets.sendFds(sock, slave.getBytes(StandardCharsets.UTF_8), master);
            return Path.of(slave);
        } catch (ErrnoException e) {
            throw new HostException("console socket " + socket + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(master);
            closeQuietly(sock);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            Fds.close(fd);
        } catch (ErrnoException ignored) {
            // the descriptor is released either way
        }
    }
}
