package io.jurunc.vaccel.rpc.common;

import io.jurunc.ttrpc.Connection;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected vsock socket as a ttrpc {@link Connection}. Reads and writes go through one native buffer
 * each (one reader thread, serialised writers); {@link #close()} shuts the socket down first so that a
 * read blocked in another thread returns.
 */
public final class VsockConnection implements Connection {
    private static final int BUFFER = 256 * 1024;
    private final int fd;
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuf = arena.allocate(BUFFER);
    private final MemorySegment writeBuf = arena.allocate(BUFFER);
    private final AtomicBoolean closed = new AtomicBoolean();

    VsockConnection(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** Connects to a vsock address ({@code cid}, {@code port}). */
    public static VsockConnection connect(int cid, int port, long timeoutMillis) throws IOException {
        int fd = Vsock.connect(cid, port, timeoutMillis);
        return new VsockConnection(fd, "vsock://" + Integer.toUnsignedString(cid) + ":" + port);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        int want = Math.min(dst.remaining(), BUFFER);
        if (want == 0) {
            return 0;
        }
        long n = Vsock.read(fd, readBuf, want);
        if (n < 0) {
            return -1;
        }
        dst.put(readBuf.asSlice(0, n).asByteBuffer());
        return (int) n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        int total = 0;
        while (src.hasRemaining()) {
            int n = Math.min(src.remaining(), BUFFER);
            ByteBuffer slice = src.slice(src.position(), n);
            MemorySegment.copy(
                    MemorySegment.ofBuffer(slice), ValueLayout.JAVA_BYTE, 0, writeBuf, ValueLayout.JAVA_BYTE, 0, n);
            long w = Vsock.write(fd, writeBuf, n);
            src.position(src.position() + (int) w);
            total += (int) w;
        }
        return total;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    /** FFM socket calls pin the carrier thread while they block. */
    @Override
    public boolean blocksCarrier() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Vsock.shutdown(fd);
            Vsock.close(fd);
        }
    }
}
