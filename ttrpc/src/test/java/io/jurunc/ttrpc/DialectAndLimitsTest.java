package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ttrpc-rust dialect's statuses, and frame reading that never trusts the announced length. */
class DialectAndLimitsTest {
    @TempDir
    Path dir;

    @Test
    void rustDialectAnswersInvalidArgumentLikeTtrpcRust() throws Exception {
        Path socket = dir.resolve("r.sock");
        try (TtrpcServer server = TestServers.echo(new java.util.concurrent.CountDownLatch(0))
                .dialect(TtrpcDialect.RUST)
                .maxMessageLength(1024)
                .build()) {
            server.serve(Listener.unix(socket));
            try (TtrpcClient client = TtrpcClient.connect("unix://" + socket)) {
                assertFails(
                        () -> client.call("no.such.Service", "M", new byte[0]),
                        StatusCode.INVALID_ARGUMENT,
                        "/no.such.Service/M does not exist");
                assertThatThrownBy(() -> client.call(TestServers.SERVICE, "Nope", new byte[0]))
                        .isInstanceOfSatisfying(
                                TtrpcStatusException.class,
                                e -> assertThat(e.statusMessage())
                                        .isEqualTo("/" + TestServers.SERVICE + "/Nope does not exist"));
            }
            try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                ByteBuffer big = ByteBuffer.allocate(FrameHeader.LENGTH + 2000);
                new FrameHeader(2000, 1, MessageType.REQUEST.code(), (byte) 0).encode(big);
                big.position(big.capacity()).flip();
                while (big.hasRemaining()) {
                    raw.write(big);
                }
                Frame f = (Frame) new FrameReader(raw, 1 << 20).next();
                var status =
                        io.jurunc.ttrpc.proto.Response.parseFrom(f.payload()).getStatus();
                assertThat(status.getCode()).isEqualTo(StatusCode.INVALID_ARGUMENT.value());
                assertThat(status.getMessage()).isEqualTo("message length 2000 exceed maximum message size of 1024");
            }
        }
    }

    @Test
    void announcedLengthIsNotAllocatedBeforeTheBytesArrive() throws Exception {
        // a 1 GiB frame announced, 16 bytes sent, then the peer hangs up
        ByteBuffer wire = ByteBuffer.allocate(FrameHeader.LENGTH + 16);
        new FrameHeader(1L << 30, 1, MessageType.REQUEST.code(), (byte) 0).encode(wire);
        wire.position(wire.capacity()).flip();
        FrameReader reader =
                new FrameReader(Channels.newChannel(new java.io.ByteArrayInputStream(wire.array())), 1 << 30);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated)
                .as("bytes allocated for a frame announced as 1 GiB")
                .isLessThan(8L << 20);
    }

    @Test
    void manyHeadersAnnouncingAGibibyteDoNotExhaustTheServer() throws Exception {
        Path socket = dir.resolve("m.sock");
        try (TtrpcServer server = TestServers.echo(new java.util.concurrent.CountDownLatch(0))
                .maxMessageLength(1 << 30)
                .build()) {
            server.serve(Listener.unix(socket));
            List<SocketChannel> hanging = new ArrayList<>();
            try {
                // 32 × 1 GiB announced would be 32 GiB if allocated up front (more than this machine has)
                for (int i = 0; i < 32; i++) {
                    SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    ByteBuffer b = ByteBuffer.allocate(26);
                    new FrameHeader(1L << 30, 1, MessageType.REQUEST.code(), (byte) 0).encode(b);
                    b.position(26).flip();
                    raw.write(b);
                    hanging.add(raw);
                }
                try (TtrpcClient client = TtrpcClient.connect("unix://" + socket)) {
                    assertThat(StringValue.parseFrom(client.call(
                                            TestServers.SERVICE,
                                            "Echo",
                                            StringValue.of("alive").toByteArray()))
                                    .getValue())
                            .isEqualTo("alive");
                }
            } finally {
                for (SocketChannel c : hanging) {
                    c.close();
                }
            }
        }
    }
}
