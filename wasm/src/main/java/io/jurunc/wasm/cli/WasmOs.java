package io.jurunc.wasm.cli;

import io.jurunc.libc.Errno;
import io.jurunc.libc.ErrnoException;
import io.jurunc.libc.Fds;
import io.jurunc.libc.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The few system calls the CLI's WASM containers need, through the project's libc binding: mkfifo, a non-blocking FIFO poke, kill. */
final class WasmOs {
    private static final byte[] START = "start\n".getBytes(StandardCharsets.US_ASCII);

    private WasmOs() {}

    static void mkfifo(Path path) throws IOException {
        try {
            Fds.mkfifo(path.toString(), 0600);
        } catch (ErrnoException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Writes a line into the FIFO if a reader has it open; false (never a hang) when none has. */
    static boolean poke(Path fifo) throws IOException {
        int fd;
        try {
            fd = Fds.open(fifo.toString(), Fds.O_WRONLY | Fds.O_NONBLOCK | Fds.O_CLOEXEC);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENXIO) { // no reader yet
                return false;
            }
            throw new IOException(e.getMessage(), e);
        }
        try {
            int n = Fds.write(fd, START, START.length);
            if (n != START.length) {
                throw new IOException("write " + fifo + ": " + n + " of " + START.length + " bytes");
            }
            return true;
        } catch (ErrnoException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            try {
                Fds.close(fd);
            } catch (ErrnoException ignored) {
                // the descriptor is released either way
            }
        }
    }

    /** False when the process does not exist (ESRCH). */
    static boolean kill(long pid, int signal) throws IOException {
        try {
            Processes.kill(Math.toIntExact(pid), signal);
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ESRCH) {
                return false;
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Start time (field 22 of /proc/pid/stat) of a live, non-zombie process. */
    static Optional<Long> liveStartTime(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
