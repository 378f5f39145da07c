package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.noop.NoopPlugin;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plays vAccel's async Rust client (vaccel-rust vaccel-rpc-client built with async and async-stream) against
 * the agent, with every message hand-encoded: the async service name, a classify whose tags are copied
 * with the caller's buffer length (512, as upstream's example passes; upstream panics when the answer is
 * shorter), and a streaming genop chunked the way that client chunks (4 MiB requests, large args in
 * numbered parts, read args first, then write args).
 */
class UpstreamStyleClientTest {
    private static final String SERVICE = "vaccel.asynchronous.agent.AgentService";
    private static final int MAX_REQ_LEN = 4 * 1024 * 1024;
    /** The chunk size upstream uses: a request's limit minus an Arg's own size. */
    private static final int CHUNK = MAX_REQ_LEN - 64;

    @TempDir
    Path tmp;

    @Test
    void asyncClientClassifiesAndStreamsAGenop() throws Exception {
        try (AgentFixture f = AgentFixture.start("tcp", tmp, VaccelConfig.of("noop"), List.of(), 1 << 30);
                RawTtrpc c = new RawTtrpc(
                        ((InetSocketAddress) f.agent.localAddresses().getFirst()).getPort())) {
            long session = Pb.varintOf(
                    Pb.parse(unary(c, 1, "CreateSession", new Pb().varint(1, 0).build())), 1);
            assertThat(session).isPositive();

            // classify: copy tags[..512] from the answer, as the client does into the caller's buffer
            byte[] answer = unary(
                    c,
                    3,
                    "ImageClassification",
                    new Pb().varint(1, session).bytes(2, new byte[] {1, 2, 3}).build());
            byte[] tags = Pb.bytesOf(Pb.parse(answer), 1);
            byte[] callerBuffer = new byte[512];
            System.arraycopy(
                    tags, 0, callerBuffer, 0, callerBuffer.length); // upstream: panic (abort) if tags is shorter
            assertThat(cString(callerBuffer)).isEqualTo(NoopPlugin.DUMMY_TAGS);

            // streaming genop: exec through noop echoes a 9 MiB input into a 9 MiB output
            byte[] big = new byte[9 * 1024 * 1024];
            new Random(3).nextBytes(big);
            List<byte[]> messages = new java.util.ArrayList<>();
            messages.add(new Pb()
                    .varint(1, session)
                    .message(2, arg(new byte[] {1}, 9))
                    .message(2, arg("/host/lib.so\0".getBytes(StandardCharsets.UTF_8), 27))
                    .message(2, arg("fn\0".getBytes(StandardCharsets.UTF_8), 27))
                    .build());
            messages.addAll(chunks(session, 2, big, 10));
            messages.addAll(chunks(session, 3, new byte[big.length], 10));
            c.frame(open().length, 5, 1, 0x02, open());
            for (byte[] m : messages) {
                assertThat(m.length).isLessThanOrEqualTo(MAX_REQ_LEN);
                c.frame(m.length, 5, 3, 0, m);
            }
            c.frame(0, 5, 3, 0x01 | 0x04, new byte[0]);
            byte[] response = payloadOf(c, 5);
            List<Pb.Field> writeArgs = Pb.all(Pb.parse(response), 1);
            assertThat(writeArgs).hasSize(1);
            assertThat(Pb.bytesOf(Pb.parse(writeArgs.getFirst().bytes()), 1)).isEqualTo(big);
        }
    }

    private static byte[] open() {
        return new Pb().string(1, SERVICE).string(2, "GenopStream").build();
    }

    /** genop.Arg{buf, size, arg_type}. */
    private static Pb arg(byte[] buf, int type) {
        return new Pb().bytes(1, buf).varint(2, buf.length).varint(3, type);
    }

    /** One request per chunk of {@code data}, each carrying one arg part in field {@code field} (2 read, 3 write). */
    private static List<byte[]> chunks(long session, int field, byte[] data, int type) {
        int parts = (data.length + CHUNK - 1) / CHUNK;
        List<byte[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < parts; i++) {
            byte[] piece = Arrays.copyOfRange(data, i * CHUNK, Math.min(data.length, (i + 1) * CHUNK));
            Pb a = new Pb()
                    .bytes(1, piece)
                    .varint(2, data.length)
                    .varint(3, type)
                    .varint(5, parts)
                    .varint(6, i + 1);
            out.add(new Pb().varint(1, session).message(field, a).build());
        }
        return out;
    }

    private static byte[] unary(RawTtrpc c, int stream, String method, byte[] payload) throws Exception {
        byte[] req =
                new Pb().string(1, SERVICE).string(2, method).bytes(3, payload).build();
        c.frame(req.length, stream, 1, 0, req);
        return payloadOf(c, stream);
    }

    /** The payload of a ttrpc.Response{status=1, payload=2}, failing on a non-OK status. */
    private static byte[] payloadOf(RawTtrpc c, int stream) throws Exception {
        Object[] r = c.rawResponse();
        assertThat(r[0]).isEqualTo(stream);
        List<Pb.Field> fields = Pb.parse((byte[]) r[1]);
        long code = Pb.varintOf(Pb.parse(Pb.bytesOf(fields, 1)), 1);
        assertThat(code)
                .as(new String(Pb.bytesOf(Pb.parse(Pb.bytesOf(fields, 1)), 2), StandardCharsets.UTF_8))
                .isZero();
        return Pb.bytesOf(fields, 2);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
