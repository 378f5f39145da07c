package io.jurunc.shim.task;

import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Copies containerd's stdin FIFO into a pipe that the container reads, as the runc shim does: the FIFO is
 * opened in the background (a blocking open would stall Create until the client opens its end, and a client
 * with nothing to send may never do so), and {@link #closeStdin()} (CloseIO) ends the container's stdin.
 *
 * <p>The child opens the pipe's read end by path ({@code /proc/<shim pid>/fd/<n>}), because a Java child
 * cannot inherit an arbitrary descriptor.
 */
final class StdinRelay implements AutoCloseable {
    private final Path fifo;
    private final ShimOs os;
    private final int pid;
    private final Consumer<String> log;
    private int readFd;
    private final OutputStream sink;
    private volatile boolean closed;
    private volatile InputStream source;
    private Thread copier;

    private StdinRelay(Path fifo, ShimOs os, int readFd, OutputStream sink, Consumer<String> log) {
        this.fifo = fifo;
        this.os = os;
        this.pid = os.pid();
        this.readFd = readFd;
        this.sink = sink;
        this.log = log;
    }

    static StdinRelay open(Path fifo, ShimOs os, Consumer<String> log) throws OsException {
        int[] fds = os.pipe();
        try {
            // A second description of the write end that Java can write to; the raw one is not needed.
            OutputStream sink = new FileOutputStream("/proc/self/fd/" + fds[1]);
            os.close(fds[1]);
            return new StdinRelay(fifo, os, fds[0], sink, log);
        } catch (IOException e) {
            os.close(fds[0]);
            os.close(fds[1]);
            throw new OsException("cannot open the stdin pipe: " + e.getMessage(), e);
        }
    }

    /** The path the container's stdin is opened from. */
    Path childPath() {
        return Path.of("/proc", Integer.toString(pid), "fd", Integer.toString(readFd));
    }

    /** The container holds its own read end now: drop ours and start copying. */
    void start() {
        dropReadEnd();
        copier =
                Thread.ofPlatform().daemon().name("stdin-" + fifo.getFileName()).start(this::copy);
    }

    private void copy() {
        try (InputStream in = new FileInputStream(fifo.toFile())) {
            source = in;
            if (closed) {
                return;
            }
            in.transferTo(sink);
        } catch (IOException e) {
            if (!closed) {
                log.accept("stdin relay from " + fifo + " stopped: " + e.getMessage());
            }
        } finally {
            closeStdin();
        }
    }

    /** Ends the container's stdin (CloseIO). */
    synchronized void closeStdin() {
        try {
            sink.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private synchronized void dropReadEnd() {
        if (readFd >= 0) {
            try {
                os.close(readFd);
            } catch (OsException e) {
                log.accept(e.getMessage());
            }
            readFd = -1;
        }
    }

    /** Stops everything; unblocks a copier still waiting for the client to open the FIFO. */
    @Override
    public void close() {
        closed = true;
        dropReadEnd();
        closeStdin();
        if (copier != null && source == null) {
            // O_RDWR on a FIFO never blocks and counts as a writer: the copier's pending open returns.
            try (RandomAccessFile unblock = new RandomAccessFile(fifo.toFile(), "rw")) {
                unblock.length();
            } catch (IOException ignored) {
                // the FIFO is gone; the thread is a daemon
            }
        }
        InputStream in = source;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
