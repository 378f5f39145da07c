package io.jurunc.ttrpc;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one client stream: the connection's reader puts messages in, the handler takes them
 * out. The queue is short, so a slow handler holds the reader back instead of buffering a client's data.
 */
final class ServerStream implements InboundStream {
    private static final Object END = new Object();
    private static final long POLL_MILLIS = 50;

    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
    private volatile boolean finished;
    private volatile boolean lost;
    /** Consumer side only. */
    private boolean ended;

    /** Reader thread: queues a message, waiting while the handler is behind; dropped once it finished. */
    void message(byte[] payload) throws InterruptedException {
        put(payload);
    }

    /** Reader thread: the client closed its side. */
    void end() throws InterruptedException {
        put(END);
    }

    private void put(Object item) throws InterruptedException {
        while (!finished && !lost) {
            if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The connection is gone: a handler waiting for more gets a connection error. */
    void lost() {
        lost = true;
    }

    /** The handler returned: nothing more is queued. */
    void finish() {
        finished = true;
        queue.clear();
    }

    @Override
    public Optional<byte[]> next() throws TtrpcException {
        if (ended) {
            return Optional.empty();
        }
        try {
            while (true) {
                Object item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (item == END) {
                    ended = true;
                    return Optional.empty();
                }
                if (item != null) {
                    return Optional.of((byte[]) item);
                }
                if (lost && queue.isEmpty()) {
                    throw new TtrpcConnectionException("connection closed before the client closed its stream");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(StatusCode.CANCELLED, "interrupted while reading a client stream", e);
        }
    }
}
