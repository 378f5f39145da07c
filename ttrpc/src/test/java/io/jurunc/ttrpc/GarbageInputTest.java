package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded random frames and raw garbage: the server never dies and keeps serving new clients. */
class GarbageInputTest {
    @TempDir
    Path dir;

    @Test
    void randomFramesAndBytesDoNotTakeTheServerDown() throws Exception {
        Random random = new Random(20261126L);
        Path socket = dir.resolve("g.sock");
        try (TtrpcServer server =
                TestServers.echo(new CountDownLatch(0)).maxMessageLength(4096).build()) {
            server.serve(Listener.unix(socket));
            for (int round = 0; round < 30; round++) {
                try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    for (int f = 0; f < 20; f++) {
                        ByteBuffer frame = round % 3 == 0 ? rawGarbage(random) : randomFrame(random);
                        while (frame.hasRemaining()) {
                            raw.write(frame);
                        }
                    }
                } catch (java.io.IOException serverHungUp) {
                    // the server may drop a connection whose stream it cannot follow; that is fine
                }
                try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket))) {
                    assertThat(client.call(
                                            TestServers.SERVICE,
                                            "Echo",
                                            StringValue.of("r" + round),
                                            StringValue.parser(),
                                            CallOptions.timeout(Duration.ofSeconds(5)))
                                    .getValue())
                            .isEqualTo("r" + round);
                }
            }
        }
    }

    /** A well-formed header (odd or even stream, any type/flags, length up to 2× the limit) and payload. */
    private static ByteBuffer randomFrame(Random random) {
        int length = random.nextInt(8192);
        byte[] payload = new byte[length];
        random.nextBytes(payload);
        ByteBuffer buf = ByteBuffer.allocate(FrameHeader.LENGTH + length);
        new FrameHeader(length, random.nextInt(), (byte) random.nextInt(5), (byte) random.nextInt(8)).encode(buf);
        return buf.put(payload).flip();
    }

    private static ByteBuffer rawGarbage(Random random) {
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        return ByteBuffer.wrap(junk);
    }
}
