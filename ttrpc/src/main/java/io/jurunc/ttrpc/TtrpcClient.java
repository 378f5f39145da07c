package io.jurunc.ttrpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.ttrpc.proto.Response;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A ttrpc client on one connection. Thread-safe: concurrent calls are multiplexed on odd stream ids and
 * matched to their responses by whichever thread reads the connection.
 *
 * <p>Reading is a role, not a thread: a caller waiting for its answer (a call without a timeout) reads the
 * connection itself, so a round trip costs the client no thread hand-off; frames for other calls it finds
 * on the way are passed to their callers, and when it has its answer it hands the reading to another
 * waiting caller. A background thread reads when nobody else does: for calls with a timeout and streams
 * (a blocking read cannot time out), and once the connection has been idle for {@value #IDLE_MILLIS} ms, so a
 * connection lost while idle is noticed ({@link #onClose}, {@link #isOpen}) as before.
 *
 * <pre>{@code
 * try (TtrpcClient client = TtrpcClient.connect("unix:///run/containerd/containerd.sock.ttrpc")) {
 *     Empty r = client.call("containerd.services.events.ttrpc.v1.Events", "Forward", request,
 *             Empty.parser(), CallOptions.timeout(Duration.ofSeconds(5)));
 * }
 * }</pre>
 */
public final class TtrpcClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TtrpcClient.class.getName());

    /** After this long without a call, the background thread reads (so a lost connection is noticed). */
    static final long IDLE_MILLIS = 20;

    private static final long IDLE_NANOS = IDLE_MILLIS * 1_000_000L;

    private final Connection connection;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Map<Integer, Call> pending = new ConcurrentHashMap<>();
    /** Held by the thread reading the connection. */
    private final java.util.concurrent.locks.ReentrantLock readRole = new java.util.concurrent.locks.ReentrantLock();

    private final Thread monitor;
    private volatile long lastCallNanos = System.nanoTime();
    private final Object sendLock = new Object();
    private final List<Runnable> closeListeners = new ArrayList<>();
    /** Next stream id; guarded by sendLock so ids reach the wire in increasing order. */
    private int nextStreamId = 1;

    private TtrpcConnectionException closedBy;

    private TtrpcClient(Connection connection, int maxMessageLength) {
        this.connection = connection;
        this.reader = new FrameReader(connection, maxMessageLength);
        this.writer = new FrameWriter(connection, maxMessageLength);
        // A platform thread: a frame wakes it directly, where a virtual reader needs the poller thread and
        // then a carrier thread to wake (two hand-offs per answer; measured in docs/ttrpc.md).
        this.monitor = Thread.ofPlatform()
                .daemon()
                .name("ttrpc-client-" + connection.description())
                .start(this::monitorLoop);
    }

    /** An outstanding call, completed once by whoever reads its answer (or by the connection's end). */
    private static final class Call {
        /** An untimed unary call: its caller may read the connection itself while it waits. */
        final boolean readsItself;

        volatile Thread waiter;
        volatile boolean done;
        private byte[] payload;
        private TtrpcException error;

        Call(boolean readsItself) {
            this.readsItself = readsItself;
        }

        boolean isDone() {
            return done;
        }

        void complete(byte[] p, TtrpcException e) {
            payload = p;
            error = e;
            done = true;
            Thread w = waiter;
            if (w != null && w != Thread.currentThread()) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Connects to {@code unix:///path}, a bare socket path, or {@code tcp://host:port}. */
    public static TtrpcClient connect(String address) throws IOException {
        return connect(TtrpcAddress.parse(address));
    }

    public static TtrpcClient connect(TtrpcAddress address) throws IOException {
        return connect(address, MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    public static TtrpcClient connect(TtrpcAddress address, int maxMessageLength) throws IOException {
        SocketChannel channel;
        try {
            channel = switch (address) {
                case TtrpcAddress.Unix u -> {
                    SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(u.path()));
                    MessageLimits.widenUnixBuffers(ch);
                    yield ch;
                }
                case TtrpcAddress.Tcp t -> {
                    SocketChannel ch = SocketChannel.open(new InetSocketAddress(t.host(), t.port()));
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    yield ch;
                }
                case TtrpcAddress.Vsock v -> throw new UnsupportedTransportException(v);
            };
        } catch (UnsupportedTransportException e) {
            throw e;
        } catch (IOException e) {
            ConnectException failure = new ConnectException("cannot connect to " + address + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        // callers read the connection themselves: an interrupt must not close it (see SelectingConnection)
        return new TtrpcClient(SelectingConnection.of(channel), maxMessageLength);
    }

    /** A client over an already-connected connection (e.g. vsock opened through FFM). */
    public static TtrpcClient over(Connection connection) {
        return over(connection, MessageLimits.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    public static TtrpcClient over(Connection connection, int maxMessageLength) {
        return new TtrpcClient(Objects.requireNonNull(connection, "connection"), maxMessageLength);
    }

    /** Calls {@code service}/{@code method} with a protobuf request and parses the response. */
    public <R> R call(String service, String method, MessageLite request, Parser<R> responseParser)
            throws TtrpcException {
        return call(service, method, request, responseParser, CallOptions.none());
    }

    public <R> R call(String service, String method, MessageLite request, Parser<R> responseParser, CallOptions options)
            throws TtrpcException {
        // the request is serialised straight into the frame, and the answer parsed aliasing the frame
        com.google.protobuf.ByteString payload = send(service, method, Payload.of(request), options);
        try {
            com.google.protobuf.CodedInputStream in = payload.newCodedInput();
            in.enableAliasing(true);
            return responseParser.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw unparsable(service, method, e);
        }
    }

    private static TtrpcException unparsable(String service, String method, InvalidProtocolBufferException e) {
        return new TtrpcException(
                StatusCode.INTERNAL,
                "cannot parse the response of " + service + "/" + method + ": " + e.getMessage(),
                e);
    }

    public byte[] call(String service, String method, byte[] payload) throws TtrpcException {
        return call(service, method, payload, CallOptions.none());
    }

    /**
     * Sends a request and waits for its response payload.
     *
     * @throws TtrpcStatusException     the server answered with a non-OK status
     * @throws TtrpcTimeoutException    no answer within {@link CallOptions#timeout()}
     * @throws TtrpcConnectionException the connection is or became closed
     * @throws MessageTooLargeException the request or response exceeds the maximum message length
     */
    public byte[] call(String service, String method, byte[] payload, CallOptions options) throws TtrpcException {
        return send(service, method, Payload.of(payload), options).toByteArray();
    }

    private com.google.protobuf.ByteString send(String service, String method, Payload payload, CallOptions options)
            throws TtrpcException {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(options, "options");
        Payload request = Envelopes.requestEnvelope(service, method, payload, options);
        writer.checkLength(request.size());
        Call answer = new Call(options.timeout().isEmpty() && mayReadItself(Thread.currentThread()));
        lastCallNanos = System.nanoTime();
        int streamId;
        synchronized (sendLock) {
            streamId = register(answer);
            try {
                writer.write(streamId, MessageType.REQUEST, (byte) 0, request);
            } catch (IOException e) {
                throw sendFailed(streamId, service, method, e);
            }
        }
        byte[] responseBytes = await(answer, streamId, service, method, options);
        return unwrapPayload(responseBytes, service, method);
    }

    /** Under {@code sendLock}: refuses a closed connection, takes the next stream id and awaits {@code answer} on it. */
    private int register(Call answer) throws TtrpcConnectionException {
        synchronized (this) {
            if (closedBy != null) {
                throw new TtrpcConnectionException(closedBy.statusMessage());
            }
        }
        int streamId = nextStreamId;
        nextStreamId += 2;
        pending.put(streamId, answer);
        return streamId;
    }

    /**
     * Opens a client stream (ttrpc 1.2): a REQUEST flagged remote-open with no payload, then one DATA frame
     * per {@link ClientStreamCall#send}, then a DATA frame flagged remote-closed and no-data; the server
     * answers once.
     *
     * @throws TtrpcConnectionException the connection is or became closed
     */
    public ClientStreamCall openStream(String service, String method, CallOptions options) throws TtrpcException {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(options, "options");
        Request request = Envelopes.request(service, method, new byte[0], options);
        writer.checkLength(request.getSerializedSize());
        // the background thread reads for streams: their answer may come early, while the caller still sends
        Call answer = new Call(false);
        lastCallNanos = System.nanoTime();
        int streamId;
        synchronized (sendLock) {
            streamId = register(answer);
            send(streamId, MessageType.REQUEST, Frame.FLAG_REMOTE_OPEN, request, service, method);
        }
        LockSupport.unpark(monitor);
        return new ClientStreamCall(streamId, answer, service, method, options);
    }

    private void send(int streamId, MessageType type, byte flags, MessageLite message, String service, String method)
            throws TtrpcException {
        try {
            writer.write(streamId, type, flags, message);
        } catch (IOException e) {
            throw sendFailed(streamId, service, method, e);
        }
    }

    /** A frame could not be written: the call is dropped and the connection closed with the failure it returns. */
    private TtrpcConnectionException sendFailed(int streamId, String service, String method, IOException e) {
        pending.remove(streamId);
        TtrpcConnectionException failure = new TtrpcConnectionException(
                "cannot send " + service + "/" + method + " to " + connection.description() + ": " + e, e);
        closeWith(failure);
        return failure;
    }

    /** The sending side of a client stream opened by {@link #openStream}. Not thread-safe. */
    public final class ClientStreamCall {
        private final int streamId;
        private final Call answer;
        private final String service;
        private final String method;
        private final CallOptions options;
        private boolean closed;

        private ClientStreamCall(int streamId, Call answer, String service, String method, CallOptions options) {
            this.streamId = streamId;
            this.answer = answer;
            this.service = service;
            this.method = method;
            this.options = options;
        }

        /**
         * Sends one message as a DATA frame. When the server has already answered (e.g. the method does
         * not exist) nothing is sent and its answer is thrown.
         */
        public void send(MessageLite message) throws TtrpcException {
            if (closed) {
                throw new IllegalStateException("stream already closed");
            }
            if (answer.isDone()) {
                unwrap(await(answer, streamId, service, method, options), service, method);
                throw new TtrpcException(
                        StatusCode.INTERNAL, service + "/" + method + " answered before the stream was closed");
            }
            writer.checkLength(message.getSerializedSize());
            TtrpcClient.this.send(streamId, MessageType.DATA, (byte) 0, message, service, method);
        }

        /** Closes the sending side and waits for the response payload. */
        public byte[] closeAndReceive() throws TtrpcException {
            if (!closed) {
                closed = true;
                if (!answer.isDone()) {
                    TtrpcClient.this.send(
                            streamId,
                            MessageType.DATA,
                            (byte) (Frame.FLAG_REMOTE_CLOSED | Frame.FLAG_NO_DATA),
                            com.google.protobuf.Empty.getDefaultInstance(),
                            service,
                            method);
                }
            }
            return unwrap(await(answer, streamId, service, method, options), service, method);
        }

        /** Like {@link #closeAndReceive()}, parsing the response. */
        public <R> R closeAndReceive(Parser<R> parser) throws TtrpcException {
            byte[] payload = closeAndReceive();
            try {
                return parser.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw unparsable(service, method, e);
            }
        }
    }

    /**
     * Waits for a call's answer: an untimed caller reads the connection itself when nobody else does; the
     * others wait for the reader (the background thread, woken for them).
     */
    private byte[] await(Call call, int streamId, String service, String method, CallOptions options)
            throws TtrpcException {
        call.waiter = Thread.currentThread();
        boolean timed = options.timeout().isPresent();
        long deadline =
                timed ? System.nanoTime() + saturatedNanos(options.timeout().get()) : 0;
        if (!call.readsItself) {
            LockSupport.unpark(monitor);
        }
        while (!call.isDone()) {
            if (call.readsItself && !Thread.currentThread().isInterrupted() && readRole.tryLock()) {
                try {
                    readUntil(call);
                } finally {
                    readRole.unlock();
                    passReading();
                }
                continue;
            }
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (pending.remove(streamId, call)) {
                        throw new TtrpcTimeoutException(
                                service, method, options.timeout().orElse(Duration.ZERO));
                    }
                    awaitCompletion(call);
                    break;
                }
                park(call, left);
            } else {
                park(call, 0);
            }
            if (Thread.interrupted()) {
                if (pending.remove(streamId, call)) {
                    Thread.currentThread().interrupt();
                    throw new TtrpcException(StatusCode.CANCELLED, service + "/" + method + " interrupted");
                }
                awaitCompletion(call);
                Thread.currentThread().interrupt();
            }
        }
        if (call.error != null) {
            throw rethrowable(call.error);
        }
        return call.payload;
    }

    /**
     * Whether a caller may read the connection itself: platform threads outside a fork-join pool. A virtual
     * thread blocked in a selector would hold its carrier, and a pool worker would block without the pool
     * knowing; both wait for the background reader instead (which costs them one hand-off, as before).
     */
    private static boolean mayReadItself(Thread t) {
        return !t.isVirtual() && !(t instanceof java.util.concurrent.ForkJoinWorkerThread);
    }

    /** Parks until unparked or {@code nanos} pass (0: no limit); a fork-join worker parks as a managed blocker. */
    private static void park(Call call, long nanos) {
        if (Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread) {
            try {
                java.util.concurrent.ForkJoinPool.managedBlock(new java.util.concurrent.ForkJoinPool.ManagedBlocker() {
                    @Override
                    public boolean block() {
                        parkDirectly(call, nanos);
                        return true;
                    }

                    @Override
                    public boolean isReleasable() {
                        return call.isDone();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            parkDirectly(call, nanos);
        }
    }

    private static void parkDirectly(Call call, long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(call, nanos);
        } else {
            LockSupport.park(call);
        }
    }

    /** A call already removed from {@code pending} is being completed by another thread: wait the moment out. */
    private static void awaitCompletion(Call call) {
        while (!call.isDone()) {
            Thread.onSpinWait();
        }
    }

    /** Reads and dispatches frames until {@code call} is answered or the connection ends. The caller holds the read role. */
    private void readUntil(Call call) {
        try {
            while (!call.isDone() && dispatch(reader.next())) {
                // frames for other calls go to their callers
            }
        } catch (IOException e) {
            closeWith(new TtrpcConnectionException("connection to " + connection.description() + " lost: " + e, e));
        }
    }

    /**
     * After the reader let go of the role: wakes one caller waiting to read for itself, or the background
     * thread when only calls it serves (timed ones, streams) are left.
     */
    private void passReading() {
        boolean others = false;
        for (Call c : pending.values()) {
            if (!c.isDone()) {
                if (c.readsItself && c.waiter != null) {
                    LockSupport.unpark(c.waiter);
                    return;
                }
                others = true;
            }
        }
        if (others) {
            LockSupport.unpark(monitor);
        }
    }

    /** True when the background thread should read: for a timed call or a stream, or on an idle connection. */
    private boolean monitorShouldRead() {
        boolean any = false;
        for (Call c : pending.values()) {
            if (!c.isDone()) {
                if (!c.readsItself) {
                    return true;
                }
                any = true;
            }
        }
        return !any && System.nanoTime() - lastCallNanos >= IDLE_NANOS;
    }

    /**
     * The background thread: reads while some call needs it or the connection is idle, so that the loss of
     * an idle connection is noticed; otherwise it sleeps, leaving the reading to the callers.
     */
    private void monitorLoop() {
        while (isOpen()) {
            if (monitorShouldRead() && readRole.tryLock()) {
                try {
                    while (isOpen() && dispatch(reader.next()) && monitorShouldRead()) {
                        // keep reading
                    }
                } catch (IOException e) {
                    closeWith(new TtrpcConnectionException(
                            "connection to " + connection.description() + " lost: " + e, e));
                } finally {
                    readRole.unlock();
                    passReading();
                }
            } else {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** A fresh exception of the same kind, so the caller's stack trace shows the call site. */
    private static TtrpcException rethrowable(TtrpcException t) {
        return switch (t) {
            case TtrpcConnectionException c -> new TtrpcConnectionException(c.statusMessage(), c);
            case MessageTooLargeException m -> m;
            default -> t;
        };
    }

    private static byte[] unwrap(byte[] responseBytes, String service, String method) throws TtrpcException {
        return unwrapPayload(responseBytes, service, method).toByteArray();
    }

    /** The response payload, aliasing the frame's array (no copy). */
    private static com.google.protobuf.ByteString unwrapPayload(byte[] responseBytes, String service, String method)
            throws TtrpcException {
        Response response;
        try {
            response = Envelopes.parseResponse(responseBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(
                    StatusCode.INTERNAL,
                    "malformed ttrpc response to " + service + "/" + method + ": " + e.getMessage(),
                    e);
        }
        if (response.hasStatus() && response.getStatus().getCode() != StatusCode.OK.value()) {
            var status = response.getStatus();
            List<Any> details = status.getDetailsList();
            throw new TtrpcStatusException(StatusCode.fromValue(status.getCode()), status.getMessage(), details);
        }
        return response.getPayload();
    }

    /** Handles one inbound frame; false once the connection has ended. */
    private boolean dispatch(Inbound in) {
        switch (in) {
            case EndOfStream e -> {
                closeWith(new TtrpcConnectionException(
                        "connection to " + connection.description() + " closed by the server"));
                return false;
            }
            case OversizedFrame o -> complete(o.header().streamId(), null, o.toException());
            case Frame f -> {
                if (f.type() == MessageType.RESPONSE.code()) {
                    complete(f.streamId(), f.payload(), null);
                } else {
                    LOG.log(Level.DEBUG, "ttrpc client: ignoring frame type {0} on stream {1}", f.type(), f.streamId());
                }
            }
        }
        return true;
    }

    private void complete(int streamId, byte[] payload, TtrpcException error) {
        Call answer = pending.remove(streamId);
        if (answer == null) {
            LOG.log(
                    Level.DEBUG,
                    "ttrpc client: response for unknown or abandoned stream {0}",
                    Integer.toUnsignedString(streamId));
            return;
        }
        answer.complete(payload, error);
    }

    /**
     * Runs {@code listener} once when the client closes or its connection is lost (immediately if that
     * already happened). Useful to reconnect.
     */
    public void onClose(Runnable listener) {
        synchronized (this) {
            if (closedBy == null) {
                closeListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    public synchronized boolean isOpen() {
        return closedBy == null;
    }

    /** Closes the connection; pending calls fail with {@link TtrpcConnectionException}. */
    @Override
    public void close() {
        closeWith(new TtrpcConnectionException("ttrpc client closed"));
    }

    private void closeWith(TtrpcConnectionException reason) {
        List<Runnable> listeners;
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = reason;
            listeners = List.copyOf(closeListeners);
            closeListeners.clear();
        }
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "ttrpc client: closing " + connection.description(), e);
        }
        for (Integer id : List.copyOf(pending.keySet())) {
            Call answer = pending.remove(id);
            if (answer != null) {
                answer.complete(null, reason);
            }
        }
        LockSupport.unpark(monitor);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ttrpc client: close listener failed", e);
            }
        }
    }
}
