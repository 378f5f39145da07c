package io.jurunc.ttrpc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns away connections beyond the server's {@link TtrpcServer.Builder#maxConnections} limit with a clear
 * answer: the first request is answered {@code RESOURCE_EXHAUSTED "too many connections: ..."}, then the
 * connection is closed. The refusal itself is bounded: at most {@value #MAX_PENDING} at a time (beyond that a
 * connection is closed at once) and each at most {@link #WAIT} (a peer that sends nothing, or a huge frame,
 * is closed then); the first frame is read with a small limit, so an announced length costs no memory.
 */
final class ConnectionRefusals {
    private static final System.Logger LOG = System.getLogger(ConnectionRefusals.class.getName());
    static final int MAX_PENDING = 16;
    static final Duration WAIT = Duration.ofSeconds(1);
    private static final int FIRST_FRAME_LIMIT = 64 * 1024;

    private final int limit;
    private final AtomicInteger pending = new AtomicInteger();

    ConnectionRefusals(int limit) {
        this.limit = limit;
    }

    /** Refuses {@code connection}, {@code open} connections being served now. */
    void refuse(Connection connection, int open) {
        String message = "too many connections: " + open + " open, the server's limit is " + limit;
        LOG.log(Level.WARNING, "ttrpc: refusing connection from {0}: {1}", connection.description(), message);
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            closeQuietly(connection);
            return;
        }
        Thread.Builder threads =
                connection.blocksCarrier() ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
        threads.name("ttrpc-refuse").start(() -> {
            try {
                Inbound first = new FrameReader(connection, FIRST_FRAME_LIMIT).next();
                int stream = switch (first) {
                    case Frame f -> f.streamId();
                    case OversizedFrame o -> o.header().streamId();
                    case EndOfStream e -> 0;
                };
                if (stream != 0) {
                    new FrameWriter(connection, FIRST_FRAME_LIMIT)
                            .write(
                                    stream,
                                    MessageType.RESPONSE,
                                    Envelopes.error(StatusCode.RESOURCE_EXHAUSTED, message));
                }
            } catch (IOException | MessageTooLargeException e) {
                LOG.log(Level.DEBUG, "ttrpc: refused connection from " + connection.description() + " ended", e);
            } finally {
                closeQuietly(connection);
                pending.decrementAndGet();
            }
        });
        Thread.ofVirtual().name("ttrpc-refuse-timer").start(() -> {
            try {
                Thread.sleep(WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(connection);
        });
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "ttrpc: closing refused connection " + connection.description(), e);
        }
    }
}
