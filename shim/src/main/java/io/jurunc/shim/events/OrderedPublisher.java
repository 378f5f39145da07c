package io.jurunc.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.jurunc.shim.proto.events.Envelope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes events strictly in the order {@link #publish} was called, from one worker thread, with the
 * retry policy of containerd's shim library (up to 5 retries, linear back-off; queue of 2048).
 */
public final class OrderedPublisher implements EventSink, AutoCloseable {
    static final int QUEUE_SIZE = 2048;
    static final int MAX_RETRIES = 5;

    private final String namespace;
    private final EventForwarder forwarder;
    private final Clock clock;
    private final Duration backoff;
    private final Consumer<String> log;
    private final BlockingQueue<Envelope> queue = new LinkedBlockingQueue<>(QUEUE_SIZE);
    private final Thread worker;
    private volatile boolean closed;

    public OrderedPublisher(
            String namespace, EventForwarder forwarder, Clock clock, Duration backoff, Consumer<String> log) {
        this.namespace = namespace;
        this.forwarder = forwarder;
        this.clock = clock;
        this.backoff = backoff;
        this.log = log;
        this.worker = Thread.ofPlatform().daemon().name("shim-events").start(this::run);
    }

    /** The {@code Any} containerd expects: the type URL is the bare full name of the message. */
    public static Any pack(Message event) {
        return Any.newBuilder()
                .setTypeUrl(event.getDescriptorForType().getFullName())
                .setValue(event.toByteString())
                .build();
    }

    public static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder()
                .setSeconds(t.getEpochSecond())
                .setNanos(t.getNano())
                .build();
    }

    @Override
    public void publish(String topic, Message event) {
        Envelope e = Envelope.newBuilder()
                .setTimestamp(timestamp(clock.instant()))
                .setNamespace(namespace)
                .setTopic(topic)
                .setEvent(pack(event))
                .build();
        if (!queue.offer(e)) {
            log.accept("event queue full, dropping " + topic);
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            Envelope e;
            try {
                e = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                return;
            }
            if (e == null) {
                continue;
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    forwarder.forward(e);
                    break;
                } catch (IOException | RuntimeException ex) {
                    if (attempt >= MAX_RETRIES) {
                        log.accept("dropping event " + e.getTopic() + " after " + attempt + " retries: "
                                + ex.getMessage());
                        break;
                    }
                    try {
                        Thread.sleep(backoff.multipliedBy(attempt + 1));
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Waits up to {@code timeout} for queued events to go out, then stops. */
    public void drain(Duration timeout) {
        closed = true;
        try {
            worker.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
        forwarder.close();
    }
}
