package io.jurunc.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jurunc.ttrpc.proto.Request;
import io.jurunc.ttrpc.proto.Response;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Serves one connection: reads frames in its own thread, runs each request's handler on a virtual thread
 * (or, with an {@link InlineWatchdog}, on the reader thread itself until the watchdog hands the reading to a
 * new thread) and writes responses through the connection's {@link FrameWriter}. Protocol errors are answered with a
 * status on the offending stream and the connection is kept, as containerd/ttrpc does; only I/O errors and
 * end of stream end the session.
 */
final class ServerSession implements Runnable {
    private static final System.Logger LOG = System.getLogger(ServerSession.class.getName());

    private final ServiceTable services;
    private final Connection connection;
    private final ServerConnection info;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Consumer<ServerSession> onEnd;
    private final Set<Integer> activeStreams = ConcurrentHashMap.newKeySet();
    /** Client streams still receiving DATA. */
    private final Map<Integer, ServerStream> streams = new ConcurrentHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    /** Last request stream id seen (unsigned); only touched by the reader thread. */
    private long lastStreamId;

    private final int maxCalls;
    private final long maxBytes;
    private final java.util.concurrent.atomic.AtomicLong bytesInFlight = new java.util.concurrent.atomic.AtomicLong();
    /** Runs unary handlers on the reader thread when set; null: each on a virtual thread. */
    private final InlineWatchdog watchdog;
    /** The call the reader thread is running in place, or null while it reads. */
    private final java.util.concurrent.atomic.AtomicReference<CallContext> inlineCall =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final java.util.concurrent.atomic.AtomicInteger readers = new java.util.concurrent.atomic.AtomicInteger();

    ServerSession(
            ServiceTable services,
            int maxMessageLength,
            Connection connection,
            ServerConnection info,
            Consumer<ServerSession> onEnd,
            int maxCalls,
            long maxBytes,
            InlineWatchdog watchdog) {
        this.watchdog = watchdog;
        this.maxCalls = maxCalls;
        this.maxBytes = maxBytes;
        this.services = services;
        this.connection = connection;
        this.info = info;
        this.reader = new FrameReader(connection, maxMessageLength);
        this.writer = new FrameWriter(connection, maxMessageLength);
        this.onEnd = onEnd;
    }

    ServerConnection info() {
        return info;
    }

    boolean idle() {
        return inFlight.get() == 0;
    }

    /** Starts a (new) reader thread for this connection. */
    void startReader() {
        Thread.ofPlatform()
                .daemon()
                .name("ttrpc-conn-" + info.id() + (readers.getAndIncrement() == 0 ? "" : "-" + readers.get()))
                .start(this);
    }

    /**
     * Reads and dispatches frames until the connection ends, or until this thread, having run a call in place,
     * finds that the watchdog gave the reading to another thread.
     */
    @Override
    public void run() {
        boolean handedOff = false;
        try {
            while (!handedOff) {
                Inbound in = reader.next();
                switch (in) {
                    case EndOfStream e -> {
                        return;
                    }
                    case OversizedFrame o -> sendStatus(o.header().streamId(), dialected(o.toException()));
                    case Frame f -> handedOff = !dispatch(f);
                }
            }
        } catch (ClosedChannelException e) {
            LOG.log(Level.DEBUG, "ttrpc: connection {0} closed", info.id());
        } catch (IOException e) {
            if (!closing) {
                LOG.log(Level.DEBUG, "ttrpc: connection " + info.id() + " (" + info.peer() + ") failed", e);
            }
        } finally {
            if (!handedOff) {
                close();
            }
        }
    }

    /**
     * The watchdog's check: if the call running in place began before {@code startedBefore}, gives the reading
     * to a new thread (the call's thread answers it and then ends).
     *
     * @return true if a call still runs in place on this connection's reader
     */
    boolean handOffIfRunningSince(long startedBefore) {
        CallContext c = inlineCall.get();
        if (c == null) {
            return false;
        }
        if (c.startNanos() - startedBefore > 0 || closing) {
            return true;
        }
        if (inlineCall.compareAndSet(c, null)) {
            LOG.log(
                    Level.DEBUG,
                    "ttrpc: {0}/{1} on connection {2} runs long: reading goes on in a new thread",
                    c.service(),
                    c.method(),
                    info.id());
            startReader();
        }
        return false;
    }

    /** Dispatches one frame; false if this thread ran a call in place and lost the reading meanwhile. */
    private boolean dispatch(Frame frame) throws IOException {
        int streamId = frame.streamId();
        if ((streamId & 1) != 1) {
            sendStatus(
                    streamId,
                    new TtrpcException(
                            StatusCode.INVALID_ARGUMENT, "StreamID must be odd for client initiated streams"));
            return true;
        }
        var type = MessageType.fromCode(frame.type());
        if (type.isEmpty()) {
            // containerd/ttrpc ignores unknown message types for forward compatibility.
            LOG.log(Level.DEBUG, "ttrpc: ignoring frame of unknown type {0} on stream {1}", frame.type(), streamId);
            return true;
        }
        switch (type.get()) {
            case REQUEST -> {
                return request(frame);
            }
            case DATA -> data(frame);
            case RESPONSE -> LOG.log(Level.DEBUG, "ttrpc: ignoring response frame from client on stream {0}", streamId);
        }
        return true;
    }

    /** Handles a REQUEST frame; false if this thread ran it in place and lost the reading meanwhile. */
    private boolean request(Frame frame) throws IOException {
        int streamId = frame.streamId();
        long unsignedId = Integer.toUnsignedLong(streamId);
        if (unsignedId <= lastStreamId) {
            sendStatus(
                    streamId,
                    new TtrpcException(StatusCode.INVALID_ARGUMENT, "StreamID cannot be re-used and must increment"));
            return true;
        }
        lastStreamId = unsignedId;
        Request request;
        try {
            request = Envelopes.parseRequest(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            sendStatus(
                    streamId,
                    new TtrpcException(StatusCode.INVALID_ARGUMENT, "unmarshal request error: " + e.getMessage()));
            return true;
        }
        ServiceTable.Method method;
        try {
            method = services.resolve(request.getService(), request.getMethod());
        } catch (TtrpcException e) {
            sendStatus(streamId, e);
            return true;
        }
        long bytes = frame.payload().length;
        if (inFlight.get() >= maxCalls || bytesInFlight.get() + bytes > maxBytes) {
            sendStatus(
                    streamId,
                    new TtrpcException(
                            StatusCode.RESOURCE_EXHAUSTED,
                            "connection limit reached: "
                                    + inFlight.get() + " calls holding " + bytesInFlight.get()
                                    + " request bytes (at most " + maxCalls
                                    + " calls, " + maxBytes + " bytes)"));
            return true;
        }
        CallContext context = new CallContext(
                request.getService(),
                request.getMethod(),
                Metadata.fromKeyValues(request.getMetadataList()),
                Envelopes.timeout(request),
                System.nanoTime(),
                info);
        inFlight.incrementAndGet();
        bytesInFlight.addAndGet(bytes);
        activeStreams.add(streamId);
        switch (method) {
            case ServiceTable.Unary u
            when watchdog != null -> {
                // read, run and answer on this thread: no hand-off for a cheap call
                inlineCall.set(context);
                watchdog.callStarted();
                answer(streamId, u, request, context, bytes);
                return inlineCall.compareAndSet(context, null);
            }
            case ServiceTable.Unary u ->
                Thread.ofVirtual()
                        .name("ttrpc-call-" + info.id() + "-" + unsignedId)
                        .start(() -> answer(streamId, u, request, context, bytes));
            case ServiceTable.ClientStream c -> {
                bytesInFlight.addAndGet(-bytes);
                openStream(streamId, frame.flags(), request, c.handler(), context);
            }
        }
        return true;
    }

    /**
     * A client stream: the request's payload, when present, is the first message (containerd/ttrpc sends
     * none); without the remote-open flag the request is the whole stream.
     */
    private void openStream(int streamId, byte flags, Request request, ClientStreamHandler handler, CallContext context)
            throws IOException {
        ServerStream stream = new ServerStream();
        boolean open = (flags & Frame.FLAG_REMOTE_OPEN) != 0 && (flags & Frame.FLAG_REMOTE_CLOSED) == 0;
        if (open) {
            streams.put(streamId, stream);
        }
        Thread.ofVirtual()
                .name("ttrpc-stream-" + info.id() + "-" + Integer.toUnsignedString(streamId))
                .start(() -> {
                    try {
                        respond(streamId, invokeStream(handler, stream, context));
                    } finally {
                        stream.finish();
                        streams.remove(streamId);
                        activeStreams.remove(streamId);
                        inFlight.decrementAndGet();
                    }
                });
        try {
            if (!request.getPayload().isEmpty()) {
                stream.message(request.getPayload().toByteArray());
            }
            if (!open) {
                stream.end();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while queueing stream data");
        }
    }

    /** A DATA frame: the next message of an open client stream, and/or its end. */
    private void data(Frame frame) throws IOException {
        int streamId = frame.streamId();
        ServerStream stream = streams.get(streamId);
        if (stream == null) {
            if (!activeStreams.contains(streamId)) {
                sendStatus(streamId, new TtrpcException(StatusCode.INVALID_ARGUMENT, "StreamID is no longer active"));
            }
            return;
        }
        try {
            if ((frame.flags() & Frame.FLAG_NO_DATA) == 0) {
                stream.message(frame.payload());
            }
            if ((frame.flags() & Frame.FLAG_REMOTE_CLOSED) != 0) {
                streams.remove(streamId);
                stream.end();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while queueing stream data");
        }
    }

    private static Object invokeStream(ClientStreamHandler handler, InboundStream stream, CallContext context) {
        return invoke((payload, ctx) -> handler.handle(stream, ctx), null, context);
    }

    /** The status in this server's dialect (ttrpc-rust answers an oversized message INVALID_ARGUMENT). */
    private TtrpcException dialected(TtrpcException e) {
        if (services.dialect() == TtrpcDialect.RUST && e instanceof MessageTooLargeException) {
            return new TtrpcException(StatusCode.INVALID_ARGUMENT, e.statusMessage());
        }
        return e;
    }

    /** Runs a unary call and answers it; then the call no longer counts against the connection's limits. */
    private void answer(int streamId, ServiceTable.Unary u, Request request, CallContext context, long bytes) {
        try {
            respond(streamId, invoke(u.handler(), request, context));
        } finally {
            activeStreams.remove(streamId);
            bytesInFlight.addAndGet(-bytes);
            inFlight.decrementAndGet();
        }
    }

    private static Object invoke(UnaryHandler handler, Request request, CallContext context) {
        try {
            Payload result = handler.respond(
                    request == null ? com.google.protobuf.ByteString.EMPTY : request.getPayload(), context);
            if (result == null) {
                return Envelopes.error(StatusCode.INTERNAL, "ttrpc: marshal called with nil");
            }
            return result;
        } catch (TtrpcException e) {
            return Envelopes.error(e.code(), e.statusMessage(), e.details());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ttrpc: handler " + context.service() + "/" + context.method() + " failed", e);
            return Envelopes.error(StatusCode.UNKNOWN, String.valueOf(e.getMessage()));
        } catch (Error e) {
            // Answer so the client does not wait forever (Go would crash the whole process here).
            LOG.log(Level.ERROR, "ttrpc: handler " + context.service() + "/" + context.method() + " crashed", e);
            return Envelopes.error(StatusCode.INTERNAL, "handler crashed: " + e);
        }
    }

    /** Answers a handled call (a {@link Payload} or an error {@link Response}); failures to write only mean the client is gone. */
    private void respond(int streamId, Object answer) {
        try {
            if (answer instanceof Payload p) {
                writeOk(streamId, p);
            } else {
                writeResponse(streamId, (Response) answer);
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.log(
                        Level.DEBUG,
                        "ttrpc: cannot answer stream " + Integer.toUnsignedString(streamId) + " on connection "
                                + info.id(),
                        e);
            }
        }
    }

    private void sendStatus(int streamId, TtrpcException status) throws IOException {
        writeResponse(streamId, Envelopes.error(status.code(), status.statusMessage()));
    }

    /** Writes {@code Response{status={}, payload}} around the payload without copying it first. */
    private void writeOk(int streamId, Payload payload) throws IOException {
        try {
            writer.write(streamId, MessageType.RESPONSE, (byte) 0, Envelopes.okEnvelope(payload));
        } catch (MessageTooLargeException e) {
            TtrpcException status = dialected(e);
            writeResponse(streamId, Envelopes.error(status.code(), status.statusMessage()));
        }
    }

    /**
     * Writes a response; one too large for the limit (a big result, or a status whose message echoes a
     * huge name) is replaced by the short RESOURCE_EXHAUSTED status so the caller always gets an answer.
     */
    private void writeResponse(int streamId, Response response) throws IOException {
        try {
            writer.write(streamId, MessageType.RESPONSE, response);
        } catch (MessageTooLargeException e) {
            TtrpcException status = dialected(e);
            try {
                writer.write(streamId, MessageType.RESPONSE, Envelopes.error(status.code(), status.statusMessage()));
            } catch (MessageTooLargeException impossible) {
                LOG.log(
                        Level.WARNING,
                        "ttrpc: maximum message length too small for any status; stream {0} unanswered",
                        Integer.toUnsignedString(streamId));
            }
        }
    }

    /** Closes the connection (unblocking the reader), fires close listeners and deregisters, once. */
    void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        streams.values().forEach(ServerStream::lost);
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "ttrpc: closing connection " + info.id(), e);
        }
        // deregistered first: a service that sees the connection go (close listeners) finds its slot free
        onEnd.accept(this);
        info.fireClosed();
    }
}
