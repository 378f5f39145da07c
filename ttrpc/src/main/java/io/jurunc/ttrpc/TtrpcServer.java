package io.jurunc.ttrpc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ttrpc server: serves registered unary methods on any number of listeners and connections.
 *
 * <pre>{@code
 * TtrpcServer server = TtrpcServer.builder()
 *     .register("containerd.task.v3.Task", "Connect", UnaryHandler.proto(ConnectRequest.parser(), this::connect))
 *     .build();
 * server.serve(Listener.unix(socketPath));
 * server.awaitTermination();
 * }</pre>
 *
 * <p>Each connection is read by its own platform thread; each request runs on its own virtual thread, so
 * calls on one connection run concurrently and a blocking handler (e.g. a task {@code Wait}) holds up
 * nothing else. With {@link Builder#runHandlersOnReader} unary handlers run on the reader thread instead
 * (no hand-off for a cheap call), and a long one has the reading of its connection handed to a new thread.
 */
public final class TtrpcServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TtrpcServer.class.getName());

    private final ServiceTable services;
    private final int maxMessageLength;
    private final int maxCallsPerConnection;
    private final long maxBytesPerConnection;
    private final AtomicLong connectionIds = new AtomicLong();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean closed;
    /** Null unless handlers run on the reader threads. */
    private final InlineWatchdog watchdog;

    private final int maxConnections;
    private final ConnectionRefusals refusals;

    private TtrpcServer(Builder builder) {
        this.services = new ServiceTable(builder.services, builder.dialect);
        this.watchdog =
                builder.handOffAfter == null ? null : new InlineWatchdog(sessions, builder.handOffAfter.toNanos());
        this.maxConnections = builder.maxConnections;
        this.refusals = new ConnectionRefusals(builder.maxConnections);
        this.maxMessageLength = builder.maxMessageLength;
        this.maxCallsPerConnection = builder.maxCallsPerConnection;
        this.maxBytesPerConnection = builder.maxBytesPerConnection;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Registration of handlers and limits; {@link #build()} freezes them. */
    public static final class Builder {
        private final Map<String, Map<String, ServiceTable.Method>> services = new LinkedHashMap<>();
        private int maxMessageLength = MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH;
        private TtrpcDialect dialect = TtrpcDialect.GO;
        private int maxCallsPerConnection = Integer.MAX_VALUE;
        private long maxBytesPerConnection = Long.MAX_VALUE;
        private Duration handOffAfter;
        private int maxConnections = Integer.MAX_VALUE;

        private Builder() {}

        /**
         * Runs unary handlers on the connection's reader thread: the request is read, handled and answered by
         * one thread, with no wake-up of another (a round trip costs the server one wake-up instead of two). A
         * handler still running after {@code handOffAfter} has the connection's reading handed to a new
         * thread, so other calls on that connection wait at most about that long behind it. Client-streaming
         * handlers still run on their own threads. Default: off (every call on its own virtual thread).
         */
        public Builder runHandlersOnReader(Duration handOffAfter) {
            Objects.requireNonNull(handOffAfter, "handOffAfter");
            if (handOffAfter.isNegative() || handOffAfter.isZero()) {
                throw new IllegalArgumentException("handOffAfter must be positive");
            }
            this.handOffAfter = handOffAfter;
            return this;
        }

        /**
         * Most connections served at once (default: no limit). A connection beyond it gets its first request
         * answered {@code RESOURCE_EXHAUSTED "too many connections: ..."} and is closed (at once if it sends
         * nothing within a second, or if many such refusals are already pending).
         */
        public Builder maxConnections(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxConnections must be positive");
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Registers the handler of {@code service}/{@code method}.
         *
         * @throws IllegalArgumentException if that method is already registered
         */
        public Builder register(String service, String method, UnaryHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return add(service, method, new ServiceTable.Unary(handler));
        }

        /**
         * Registers a client-streaming method (ttrpc 1.2: REQUEST with remote-open, then DATA frames).
         *
         * @throws IllegalArgumentException if that method is already registered
         */
        public Builder registerClientStream(String service, String method, ClientStreamHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return add(service, method, new ServiceTable.ClientStream(handler));
        }

        private Builder add(String service, String method, ServiceTable.Method handler) {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(method, "method");
            if (service.isEmpty() || method.isEmpty()) {
                throw new IllegalArgumentException("service and method names must not be empty");
            }
            ServiceTable.Method previous = services.computeIfAbsent(service, s -> new LinkedHashMap<>())
                    .putIfAbsent(method, handler);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate handler for " + service + "/" + method);
            }
            return this;
        }

        /**
         * Per-connection limits on calls in flight and on the request bytes they hold (default: none). A call
         * beyond either is answered {@code RESOURCE_EXHAUSTED} at once and the connection keeps serving.
         */
        public Builder connectionLimits(int maxCalls, long maxBytes) {
            if (maxCalls <= 0 || maxBytes <= 0) {
                throw new IllegalArgumentException("connection limits must be positive");
            }
            this.maxCallsPerConnection = maxCalls;
            this.maxBytesPerConnection = maxBytes;
            return this;
        }

        /** Whose statuses to answer with for unknown methods and oversized messages (default {@link TtrpcDialect#GO}). */
        public Builder dialect(TtrpcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Registers several methods of one service (method name → handler). */
        public Builder register(String service, Map<String, UnaryHandler> methods) {
            methods.forEach((method, handler) -> register(service, method, handler));
            return this;
        }

        /** Maximum length of a frame payload in either direction (default 4 MiB, as containerd/ttrpc). */
        public Builder maxMessageLength(int bytes) {
            this.maxMessageLength = MessageLimits.requireValid(bytes);
            return this;
        }

        public TtrpcServer build() {
            return new TtrpcServer(this);
        }
    }

    /**
     * Accepts connections from {@code listener} on a background virtual thread until the server shuts
     * down; the server then closes the listener.
     */
    public void serve(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        if (closed) {
            listeners.remove(listener);
            closeQuietly(listener);
            throw new IllegalStateException("ttrpc server is shut down");
        }
        (listener.blocksCarrier() ? Thread.ofPlatform().daemon() : Thread.ofVirtual())
                .name("ttrpc-accept-" + listener.localAddress())
                .start(() -> acceptLoop(listener));
    }

    private void acceptLoop(Listener listener) {
        try {
            while (!closed) {
                Connection connection;
                try {
                    connection = listener.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (closed) {
                        return;
                    }
                    LOG.log(Level.WARNING, "ttrpc: accept on " + listener.localAddress() + " failed", e);
                    sleepQuietly(Duration.ofMillis(50));
                    continue;
                }
                try {
                    serveConnection(connection);
                } catch (IllegalStateException e) {
                    return;
                }
            }
        } finally {
            listeners.remove(listener);
            closeQuietly(listener);
        }
    }

    /**
     * Serves an already-connected connection (e.g. an accepted vsock socket) on a background virtual
     * thread.
     *
     * @return the server-side connection handle (id, close listeners)
     * @throws IllegalStateException if the server is shut down (the connection is closed)
     */
    public ServerConnection serveConnection(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        long id = connectionIds.incrementAndGet();
        ServerConnection info = new ServerConnection(id, connection.description());
        ServerSession session = new ServerSession(
                services,
                maxMessageLength,
                connection,
                info,
                sessions::remove,
                maxCallsPerConnection,
                maxBytesPerConnection,
                watchdog);
        synchronized (sessions) {
            if (!closed && sessions.size() >= maxConnections) {
                refusals.refuse(connection, sessions.size());
                info.fireClosed();
                return info;
            }
            sessions.add(session);
        }
        if (closed) {
            session.close();
            throw new IllegalStateException("ttrpc server is shut down");
        }
        // Each connection's reader is a platform thread (one wake-up per frame instead of the poller's and a
        // carrier's); handlers run on virtual threads, or on the reader itself (runHandlersOnReader).
        session.startReader();
        return info;
    }

    /** The connections being served now. */
    public List<ServerConnection> connections() {
        return sessions.stream().map(ServerSession::info).toList();
    }

    /**
     * Graceful shutdown: stops accepting, closes connections as soon as they have no call in flight, and
     * after {@code grace} closes the rest.
     *
     * @return true if every connection went idle within {@code grace}
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        closed = true;
        listeners.forEach(TtrpcServer::closeQuietly);
        long deadline = System.nanoTime() + grace.toNanos();
        boolean graceful = true;
        while (true) {
            for (ServerSession s : List.copyOf(sessions)) {
                if (s.idle()) {
                    s.close();
                }
            }
            if (sessions.isEmpty()) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                graceful = false;
                break;
            }
            Thread.sleep(10);
        }
        close();
        return graceful;
    }

    /** Immediate shutdown: closes listeners and connections; in-flight calls get no answer. */
    @Override
    public void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.stop();
        }
        listeners.forEach(TtrpcServer::closeQuietly);
        List.copyOf(sessions).forEach(ServerSession::close);
        terminated.countDown();
    }

    /** Blocks until {@link #shutdown} or {@link #close} has completed. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Like {@link #awaitTermination()} with a limit; returns false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean isShutdown() {
        return closed;
    }

    private static void closeQuietly(Listener listener) {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "ttrpc: closing listener " + listener.localAddress(), e);
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
