package io.jurunc.ttrpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A client's unix or TCP socket in non-blocking mode that blocks through selectors, so that a thread
 * interrupted while it waits does not close the connection. The client's callers read the connection
 * themselves ({@link TtrpcClient}); a blocking JDK channel would be closed by an interrupt of whichever
 * caller happened to be reading, failing every call on it. An interrupt that arrives during a read or write
 * is kept (the flag is set again when the call returns) and the operation goes on.
 *
 * <p>A read that follows one which emptied the socket waits for it first: a caller reading its answer right
 * after sending the request then costs two syscalls (epoll_wait, read) rather than three (a read failing
 * with EAGAIN before them).
 */
final class SelectingConnection implements Connection {
    private final SocketChannel channel;
    private final String description;
    private final Selector readable;
    private final Selector writable;
    /** Whether the last read got fewer bytes than asked (the socket had no more); only the reading thread touches it. */
    private boolean drained;

    private SelectingConnection(SocketChannel channel, String description, Selector readable, Selector writable) {
        this.channel = channel;
        this.description = description;
        this.readable = readable;
        this.writable = writable;
    }

    /** Takes over a connected channel: switches it to non-blocking mode and registers it for reads and writes. */
    static SelectingConnection of(SocketChannel channel) throws IOException {
        String description;
        try {
            description = String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            description = "socket";
        }
        Selector r = Selector.open();
        Selector w = null;
        try {
            w = Selector.open();
            channel.configureBlocking(false);
            channel.register(r, SelectionKey.OP_READ);
            channel.register(w, SelectionKey.OP_WRITE);
            return new SelectingConnection(channel, description, r, w);
        } catch (IOException | RuntimeException e) {
            r.close();
            if (w != null) {
                w.close();
            }
            channel.close();
            throw e;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        boolean interrupted = false;
        try {
            if (drained && dst.hasRemaining()) {
                // the last read emptied the socket: an answer is rarely there yet, so wait first (epoll_wait,
                // read) instead of read (EAGAIN), epoll_wait, read; a ready socket makes the wait return at once
                interrupted = await(readable);
            }
            while (true) {
                int asked = dst.remaining();
                int n = channel.read(dst);
                if (n != 0 || asked == 0) {
                    drained = n < asked;
                    return n;
                }
                interrupted |= await(readable);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                int n = channel.write(src);
                if (n != 0 || !src.hasRemaining()) {
                    return n;
                }
                interrupted |= await(writable);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the selector reports the channel ready (or is woken); true if an interrupt was swallowed. */
    private boolean await(Selector selector) throws IOException {
        try {
            selector.select();
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
        boolean interrupted = Thread.interrupted();
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        return interrupted;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the channel and both selectors, waking a thread blocked in either. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            readable.close();
            writable.close();
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
