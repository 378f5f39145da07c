package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import io.jurunc.ttrpc.proto.Response;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client streaming (ttrpc 1.2, containerd/ttrpc PROTOCOL.md): REQUEST remote-open, DATA frames, remote-closed. */
class ClientStreamTest {
    private static final String SERVICE = "jurunc.test.v1.Stream";

    @TempDir
    Path dir;

    private final CompletableFuture<Throwable> handlerFailure = new CompletableFuture<>();
    private TtrpcServer server;
    private Path socket;

    @BeforeEach
    void start() throws Exception {
        server = TtrpcServer.builder()
                .registerClientStream(SERVICE, "Concat", (messages, ctx) -> {
                    StringBuilder sb = new StringBuilder();
                    try {
                        for (Optional<byte[]> m = messages.next(); m.isPresent(); m = messages.next()) {
                            sb.append(StringValue.parseFrom(m.get()).getValue()).append('|');
                        }
                    } catch (TtrpcException e) {
                        handlerFailure.complete(e);
                        throw e;
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new TtrpcException(StatusCode.INVALID_ARGUMENT, e.getMessage());
                    }
                    return StringValue.of(sb.toString()).toByteArray();
                })
                .build();
        socket = dir.resolve("s.sock");
        server.serve(Listener.unix(socket));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientSendsSeveralMessagesAndGetsOneAnswer() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket)) {
            TtrpcClient.ClientStreamCall call = client.openStream(SERVICE, "Concat", CallOptions.none());
            call.send(StringValue.of("a"));
            call.send(StringValue.of("b"));
            call.send(StringValue.of(""));
            assertThat(call.closeAndReceive(StringValue.parser()).getValue()).isEqualTo("a|b||");
            // the connection still serves an empty stream afterwards
            assertThat(client.openStream(SERVICE, "Concat", CallOptions.none())
                            .closeAndReceive(StringValue.parser())
                            .getValue())
                    .isEmpty();
        }
    }

    @Test
    void rawFramesAsPerProtocol() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            openConcat(raw, 1);
            write(raw, data(1, (byte) 0, "x"));
            // the last message may ride on the closing frame
            write(raw, data(1, Frame.FLAG_REMOTE_CLOSED, "y"));
            Response r = read(raw, 1);
            assertThat(r.getStatus().getCode()).isZero();
            assertThat(StringValue.parseFrom(r.getPayload()).getValue()).isEqualTo("x|y|");

            // a request payload on the opening frame is the first message; no remote-open means no DATA follows
            byte[] whole = Envelopes.request(
                            SERVICE, "Concat", StringValue.of("z").toByteArray(), CallOptions.none())
                    .toByteArray();
            write(raw, new Frame(3, MessageType.REQUEST.code(), (byte) 0, whole));
            assertThat(StringValue.parseFrom(read(raw, 3).getPayload()).getValue())
                    .isEqualTo("z|");

            // DATA after the stream closed is refused
            write(raw, new Frame(1, MessageType.DATA.code(), (byte) 0, new byte[0]));
            assertThat(read(raw, 1).getStatus().getMessage()).isEqualTo("StreamID is no longer active");
        }
    }

    @Test
    void connectionLostMidStreamFailsTheHandler() throws Exception {
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            openConcat(raw, 1);
            write(raw, data(1, (byte) 0, "x"));
        }
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(TtrpcConnectionException.class);
    }

    @Test
    void streamToAMissingMethodFailsOnTheNextSend() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket)) {
            TtrpcClient.ClientStreamCall call = client.openStream(SERVICE, "Missing", CallOptions.none());
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 1000; i++) {
                            call.send(StringValue.of("x"));
                            Thread.sleep(5);
                        }
                    })
                    .isInstanceOfSatisfying(
                            TtrpcStatusException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED));
        }
    }

    /** Opens stream {@code stream} of Concat from the client's side, its messages to follow as DATA. */
    private static void openConcat(SocketChannel raw, int stream) throws Exception {
        byte[] open = Envelopes.request(SERVICE, "Concat", new byte[0], CallOptions.none())
                .toByteArray();
        write(raw, new Frame(stream, MessageType.REQUEST.code(), Frame.FLAG_REMOTE_OPEN, open));
    }

    /** A DATA frame on {@code stream} carrying {@code text}. */
    private static Frame data(int stream, byte flags, String text) {
        return new Frame(
                stream, MessageType.DATA.code(), flags, StringValue.of(text).toByteArray());
    }

    private static void write(SocketChannel ch, Frame f) throws Exception {
        ByteBuffer b = FrameWriter.encode(f);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static Response read(SocketChannel raw, int stream) throws Exception {
        Frame f = (Frame) new FrameReader(raw, 1 << 20).next();
        assertThat(f.streamId()).isEqualTo(stream);
        assertThat(f.type()).isEqualTo(MessageType.RESPONSE.code());
        return Response.parseFrom(f.payload());
    }
}
