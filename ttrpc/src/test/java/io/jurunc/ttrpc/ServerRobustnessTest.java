package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.jurunc.ttrpc.proto.Response;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the server with hand-made frames over a raw socket. */
class ServerRobustnessTest {
    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blockEntered = new CountDownLatch(1);
    private final CountDownLatch connectionClosed = new CountDownLatch(1);
    private final AtomicLong closedConnectionId = new AtomicLong();
    private TtrpcServer server;
    private Path socket;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.echo(release)
                .maxMessageLength(1024)
                .register("jurunc.test.v1.Session", "Open", (payload, ctx) -> {
                    long id = ctx.connectionId();
                    ctx.onClose(() -> {
                        closedConnectionId.set(id);
                        connectionClosed.countDown();
                    });
                    blockEntered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new TtrpcException(StatusCode.CANCELLED, "interrupted");
                    }
                    return payload;
                })
                .build();
        socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    @Test
    void oversizedLengthIsAnsweredWithResourceExhaustedAndTheConnectionKeepsServing() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            // header announcing 2000 bytes (> 1024), followed by those 2000 bytes of junk
            ByteBuffer big = ByteBuffer.allocate(FrameHeader.LENGTH + 2000);
            new FrameHeader(2000, 1, MessageType.REQUEST.code(), (byte) 0).encode(big);
            writeAll(raw, big.position(big.capacity()).flip());

            Response first = readResponse(raw, 1);
            assertThat(first.getStatus().getCode()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED.value());
            assertThat(first.getStatus().getMessage())
                    .isEqualTo("message length 2000 exceed maximum message size of 1024");

            assertEchoWorks(raw, 3);
        }
    }

    @Test
    void badRequestProtobufIsInvalidArgumentAndTheConnectionKeepsServing() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            writeAll(
                    raw,
                    FrameWriter.encode(
                            new Frame(1, MessageType.REQUEST, HexFormat.of().parseHex("0aff"))));
            Response r = readResponse(raw, 1);
            assertThat(r.getStatus().getCode()).isEqualTo(StatusCode.INVALID_ARGUMENT.value());
            assertThat(r.getStatus().getMessage()).startsWith("unmarshal request error: ");

            assertEchoWorks(raw, 3);
        }
    }

    @Test
    void evenReusedAndUnknownFramesFollowTtrpcRules() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            byte[] echo = echoRequest("x");
            writeAll(raw, FrameWriter.encode(new Frame(2, MessageType.REQUEST, echo)));
            Response even = readResponse(raw, 2);
            assertThat(even.getStatus().getCode()).isEqualTo(StatusCode.INVALID_ARGUMENT.value());
            assertThat(even.getStatus().getMessage()).isEqualTo("StreamID must be odd for client initiated streams");

            assertEchoWorks(raw, 5);
            writeAll(raw, FrameWriter.encode(new Frame(5, MessageType.REQUEST, echo)));
            Response reused = readResponse(raw, 5);
            assertThat(reused.getStatus().getMessage()).isEqualTo("StreamID cannot be re-used and must increment");

            writeAll(raw, FrameWriter.encode(new Frame(7, MessageType.DATA, new byte[0])));
            Response data = readResponse(raw, 7);
            assertThat(data.getStatus().getMessage()).isEqualTo("StreamID is no longer active");

            // unknown type is ignored: the next frame read back must be the echo answer on stream 11
            writeAll(raw, FrameWriter.encode(new Frame(9, (byte) 0x7f, (byte) 0, new byte[] {1, 2, 3})));
            assertEchoWorks(raw, 11);
        }
    }

    @Test
    void statusThatWouldExceedTheLimitIsReplacedByResourceExhausted() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            String hugeService = "x".repeat(1010); // request fits 1024, "service xxx…" answer does not
            byte[] request = Envelopes.request(hugeService, "M", new byte[0], CallOptions.none())
                    .toByteArray();
            assertThat(request.length).isLessThanOrEqualTo(1024);
            writeAll(raw, FrameWriter.encode(new Frame(1, MessageType.REQUEST, request)));

            Response r = readResponse(raw, 1);
            assertThat(r.getStatus().getCode()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED.value());
            assertEchoWorks(raw, 3);
        }
    }

    @Test
    void clientDyingMidCallFiresOnCloseAndTheServerKeepsServing() throws Exception {
        SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        byte[] open = Envelopes.request("jurunc.test.v1.Session", "Open", new byte[] {1}, CallOptions.none())
                .toByteArray();
        writeAll(raw, FrameWriter.encode(new Frame(1, MessageType.REQUEST, open)));
        assertThat(blockEntered.await(5, TimeUnit.SECONDS)).isTrue();
        long id = server.connections().getFirst().id();

        raw.close(); // client disappears while its call is in flight

        assertThat(connectionClosed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(closedConnectionId.get()).isEqualTo(id);
        release.countDown(); // the handler finishes; its answer has nowhere to go
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket))) {
            assertThat(client.call(
                                    TestServers.SERVICE,
                                    "Echo",
                                    StringValue.of("alive"),
                                    StringValue.parser(),
                                    CallOptions.timeout(Duration.ofSeconds(5)))
                            .getValue())
                    .isEqualTo("alive");
        }
    }

    @Test
    void gracefulShutdownWaitsForInFlightCalls() throws Exception {
        TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket));
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                client.call("jurunc.test.v1.Session", "Open", new byte[] {42});
            } catch (TtrpcException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(blockEntered.await(5, TimeUnit.SECONDS)).isTrue();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });

        boolean graceful = server.shutdown(Duration.ofSeconds(5));

        assertThat(graceful).isTrue();
        caller.join(Duration.ofSeconds(5));
        releaser.join();
        assertThat(caller.isAlive()).isFalse();
        assertThat(server.awaitTermination(Duration.ofSeconds(1))).isTrue();
        assertThat(socket).doesNotExist();
        assertThat(connectionClosed.await(5, TimeUnit.SECONDS)).isTrue();
        client.close();
    }

    private static byte[] echoRequest(String value) {
        return Envelopes.request(
                        TestServers.SERVICE, "Echo", StringValue.of(value).toByteArray(), CallOptions.none())
                .toByteArray();
    }

    private static void assertEchoWorks(SocketChannel raw, int streamId) throws Exception {
        writeAll(raw, FrameWriter.encode(new Frame(streamId, MessageType.REQUEST, echoRequest("again"))));
        Response r = readResponse(raw, streamId);
        assertThat(r.getStatus().getCode()).isZero();
        assertThat(StringValue.parseFrom(r.getPayload()).getValue()).isEqualTo("again");
    }

    private static Response readResponse(SocketChannel raw, int expectedStream) throws Exception {
        Inbound in = new FrameReader(raw, 1 << 20).next();
        assertThat(in).isInstanceOf(Frame.class);
        Frame f = (Frame) in;
        assertThat(f.streamId()).isEqualTo(expectedStream);
        assertThat(f.type()).isEqualTo(MessageType.RESPONSE.code());
        return Response.parseFrom(f.payload());
    }

    private static void writeAll(SocketChannel ch, ByteBuffer buf) throws Exception {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
