package io.jurunc.shim.os;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.SockAddr;
import io.jurunc.libc.Sockets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The real {@link Console}: a unix socket, SCM_RIGHTS and the pty master through the libc binding. */
final class LinuxConsole implements Console {
    /** {@code TIOCSWINSZ} (x86-64, arm64). */
    static final long TIOCSWINSZ = 0x5414;

    private static final int BUFFER = 32 * 1024;

    private final Path socket;
    private final int listener;
    private volatile int master = -1;
    private volatile int stdinFd = -1;
    private volatile int stdoutFd = -1;
    private final CountDownLatch outputDone = new CountDownLatch(1);

    private LinuxConsole(Path socket, int listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /** Listens on {@code socket} (which must not exist), a path short enough for {@code sun_path}. */
    static LinuxConsole listen(Path socket) throws OsException {
        SockAddr.UnixPath address;
        try {
            address = new SockAddr.UnixPath(socket.toString());
        } catch (IllegalArgumentException e) {
            throw new OsException("console socket " + socket + ": " + e.getMessage(), e);
        }
        int fd = -1;
        try {
            fd = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
            Sockets.bind(fd, address);
            Sockets.listen(fd, 1);
            return new LinuxConsole(socket, fd);
        } catch (ErrnoException e) {
            closeQuietly(fd);
            throw new OsException("console socket " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path socket() {
        return socket;
    }

    @Override
    public void receiveMaster(Duration timeout) throws OsException {
        int conn = -1;
        try {
            if (Fds.poll(listener, Fds.POLLIN, Math.toIntExact(timeout.toMillis())) == 0) {
                throw new OsException("the runtime sent no pty master to " + socket + " within " + timeout);
            }
            conn = Sockets.accept(listener, Sockets.SOCK_CLOEXEC);
            Sockets.Received r = Sockets.receiveFds(conn, new byte[4096], 1);
            if (r.fds().length != 1) {
                throw new OsException("the runtime's message on " + socket + " carried no pty master");
            }
            master = r.fds()[0];
        } catch (ErrnoException e) {
            throw new OsException("console socket " + socket + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(conn);
        }
    }

    @Override
    public void relay(Optional<Path> stdin, Optional<Path> stdout, Consumer<String> log) throws OsException {
        int m = master;
        if (m < 0) throw new OsException("no pty master to relay");
        try {
            // containerd holds the FIFOs' other ends open: these opens do not block for long
            if (stdout.isPresent()) stdoutFd = Fds.open(stdout.get().toString(), Fds.O_WRONLY | Fds.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new OsException("terminal stdio: " + e.getMessage(), e);
        }
        Thread.ofPlatform().daemon().name("tty-out").start(() -> {
            try {
                copy(m, stdoutFd, log, "output");
            } finally {
                // as containerd's runc shim: the output's end closes the FIFO, so containerd's reader sees end
                // of file (the CRI's streaming Exec waits for it before it sends the exit status)
                closeStdout();
                outputDone.countDown();
            }
        });
        stdin.ifPresent(path -> Thread.ofPlatform().daemon().name("tty-in").start(() -> {
            try {
                // blocks until containerd's end is open; EOF once it closes it (ctr's stdin ended)
                stdinFd = Fds.open(path.toString(), Fds.O_RDONLY | Fds.O_CLOEXEC);
            } catch (ErrnoException e) {
                log.accept("terminal input " + path + ": " + e.getMessage());
                return;
            }
            copy(stdinFd, m, log, "input");
        }));
    }

    /** Copies until end of file or an error (EIO on the master: the container's side is closed). */
    private static void copy(int from, int to, Consumer<String> log, String what) {
        byte[] buf = new byte[BUFFER];
        try {
            while (true) {
                int n = Fds.read(from, buf);
                if (n <= 0) return;
                if (to < 0) continue; // nobody wants the output: drain it so the container never blocks
                for (int off = 0; off < n; ) {
                    byte[] rest = off == 0 ? buf : java.util.Arrays.copyOfRange(buf, off, n);
                    off += Fds.write(to, rest, n - off);
                }
            }
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EIO && e.errno() != Errno.EBADF)
                log.accept("terminal " + what + ": " + e.getMessage());
        }
    }

    @Override
    public void resize(int width, int height) throws OsException {
        int m = master;
        if (m < 0) throw new OsException("no pty to resize");
        if (width < 0 || width > 0xffff || height < 0 || height > 0xffff) {
            throw new OsException("window size " + width + "x" + height + " out of range");
        }
        // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
        byte[] ws = {(byte) height, (byte) (height >> 8), (byte) width, (byte) (width >> 8), 0, 0, 0, 0};
        try {
            Fds.ioctl(m, TIOCSWINSZ, ws);
        } catch (ErrnoException e) {
            throw new OsException("TIOCSWINSZ: " + e.getMessage(), e);
        }
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        if (master >= 0) outputDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closeQuietly(listener);
        closeQuietly(stdinFd);
        closeQuietly(master);
        closeStdout();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent()); // the shim's private directory, empty now
        } catch (java.io.IOException ignored) {
            // a stale socket or directory under the shim's temporary directory: harmless
        }
    }

    private synchronized void closeStdout() {
        int fd = stdoutFd;
        stdoutFd = -1;
        closeQuietly(fd);
    }

    private static void closeQuietly(int fd) {
        if (fd < 0) return;
        try {
            Fds.close(fd);
        } catch (ErrnoException ignored) {
            // released either way
        }
    }
}
