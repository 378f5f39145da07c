package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcDialect;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.TtrpcServer;
import io.jurunc.ttrpc.TtrpcStatusException;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.rpc.RpcPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rpc plugin against a stand-in for vAccel's sync agent (vaccel-rpc-agent built without async): only
 * {@code vaccel.sync.agent.AgentService}, no GenopStream, ttrpc-rust statuses, metadata ignored, payloads
 * decoded by hand; a genop of op 0 is refused with EINVAL as upstream's agent does.
 */
class FakeUpstreamAgentTest {
    private static final String SERVICE = "vaccel.sync.agent.AgentService";

    @TempDir
    Path tmp;

    /** Per Genop call: total bytes of its args, and whether it carried any ttrpc metadata. */
    record Seen(long argBytes, boolean metadata) {}

    private final List<Seen> genops = new CopyOnWriteArrayList<>();
    private TtrpcServer server;
    private String address;

    @BeforeEach
    void start() throws Exception {
        server = TtrpcServer.builder()
                .dialect(TtrpcDialect.RUST)
                .maxMessageLength(1 << 30)
                .register(
                        SERVICE,
                        "CreateSession",
                        (p, ctx) -> new Pb().varint(1, 7).build())
                .register(SERVICE, "DestroySession", (p, ctx) -> new byte[0])
                .register(SERVICE, "ImageClassification", (p, ctx) -> {
                    byte[] tags = new byte[1024];
                    byte[] text = "97.1% banana".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(text, 0, tags, 0, text.length);
                    return new Pb().bytes(1, tags).build();
                })
                .register(SERVICE, "Genop", this::genop)
                .build();
        server.serve(Listener.unix(tmp.resolve("upstream.sock")));
        address = "unix://" + tmp.resolve("upstream.sock");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] genop(byte[] payload, io.jurunc.ttrpc.CallContext ctx) throws TtrpcException {
        List<Pb.Field> req = Pb.parse(payload);
        List<byte[]> read = Pb.all(req, 2).stream()
                .map(f -> Pb.bytesOf(Pb.parse(f.bytes()), 1))
                .toList();
        List<byte[]> write = Pb.all(req, 3).stream()
                .map(f -> Pb.bytesOf(Pb.parse(f.bytes()), 1))
                .toList();
        long bytes = read.stream().mapToLong(b -> b.length).sum()
                + write.stream().mapToLong(b -> b.length).sum();
        genops.add(new Seen(bytes, !ctx.metadata().isEmpty()));
        int op = read.isEmpty() || read.getFirst().length == 0 ? -1 : read.getFirst()[0];
        if (op == 0) {
            throw vaccelError(22, "Invalid argument");
        }
        String symbol = new String(read.get(2), StandardCharsets.UTF_8).replace("\0", "");
        switch (symbol) {
            case "fail" -> throw vaccelError(38, "Function not implemented");
            case "plain" -> throw new TtrpcException(StatusCode.INTERNAL, "no detail");
            case "gone" -> throw new TtrpcException(StatusCode.NOT_FOUND, "Unknown session 7");
            default -> {
                Pb out = new Pb();
                out.message(
                        1,
                        new Pb()
                                .bytes(1, read.get(3))
                                .varint(2, read.get(3).length)
                                .varint(3, 10));
                return out.build();
            }
        }
    }

    private static TtrpcException vaccelError(int errno, String message) {
        Any detail = Any.newBuilder()
                .setTypeUrl("type.googleapis.com/vaccel.ProtoError")
                .setValue(com.google.protobuf.ByteString.copyFrom(
                        new Pb().varint(2, errno).build()))
                .build();
        return new TtrpcStatusException(StatusCode.INTERNAL, message, List.of(detail));
    }

    private Vaccel client(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("VACCEL_RPC_ADDRESS", address);
        return Vaccel.bootstrap(VaccelConfig.of("rpc").withEnv(all), List.of(new RpcPlugin()));
    }

    @Test
    void noopCompletesLocallyAndBigGenopsGoWholeWithoutMetadata() {
        try (Vaccel v = client(Map.of());
                Session s = v.createSession(0)) {
            s.noop();
            assertThat(genops).as("noop never reaches the agent").isEmpty();
            byte[] big = new byte[10 * 1024 * 1024];
            big[12345] = 42;
            Arg out = Arg.output(ArgType.UINT8_ARRAY, big.length);
            s.exec("/host/lib.so", "echo", List.of(Arg.of(ArgType.UINT8_ARRAY, big)), List.of(out));
            assertThat(out.buffer()[12345]).isEqualTo((byte) 42);
            assertThat(genops).singleElement().satisfies(g -> {
                assertThat(g.argBytes()).isGreaterThan(2L * big.length);
                assertThat(g.metadata()).isFalse();
            });
        }
    }

    @Test
    void errnosComeFromTheDetailAndEverythingElseIsEbackend() {
        try (Vaccel v = client(Map.of());
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.exec("/l.so", "fail", List.of(Arg.int32(1)), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
            assertThatThrownBy(() -> s.exec("/l.so", "plain", List.of(Arg.int32(1)), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBACKEND));
            assertThatThrownBy(() -> s.exec("/l.so", "gone", List.of(Arg.int32(1)), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBACKEND));
            assertThatThrownBy(() -> s.genop(List.of(Arg.uint8(0)), List.of()))
                    .as("a raw genop of op 0 is forwarded and refused by the agent")
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
    }

    @Test
    void classifyTagsEndAtTheFirstNul() {
        try (Vaccel v = client(Map.of());
                Session s = v.createSession(0)) {
            assertThat(s.classify(new byte[] {1}).tags()).isEqualTo("97.1% banana");
        }
    }

    @Test
    void aGenopAboveTheLimitIsRefusedWhenTheAgentHasNoGenopStream() {
        try (Vaccel v = client(Map.of("VACCEL_RPC_MESSAGE_MAX", String.valueOf(1 << 20)));
                Session s = v.createSession(0)) {
            byte[] big = new byte[2 << 20];
            assertThatThrownBy(() -> s.exec("/l.so", "echo", List.of(Arg.of(ArgType.UINT8_ARRAY, big)), List.of()))
                    .isInstanceOfSatisfying(VaccelException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENOTSUP);
                        assertThat(e.getMessage()).contains("no GenopStream");
                    });
            assertThat(genops).as("no piece of it ran as a genop of its own").isEmpty();
        }
    }
}
