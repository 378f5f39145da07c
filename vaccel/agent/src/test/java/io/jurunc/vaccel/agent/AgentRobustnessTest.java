package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.ttrpc.proto.Response;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.PluginInfo;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ArgCodec;
import io.jurunc.vaccel.rpc.proto.ErrorProto;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import io.jurunc.vaccel.rpc.proto.ResourceProto;
import io.jurunc.vaccel.rpc.proto.SessionProto;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent answers bad input with the proper status and keeps serving; vanished clients are cleaned up. */
class AgentRobustnessTest {
    private static final int MAX = 64 * 1024;

    @TempDir
    Path tmp;

    private AgentFixture f;
    private int port;
    private final SlowPlugin slow = new SlowPlugin();

    /** A host plugin whose minmax blocks until released, to kill a client mid-call. */
    static final class SlowPlugin implements Plugin {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public PluginInfo info() {
            return new PluginInfo("slow", "1.0", Vaccel.VERSION, PluginType.FPGA, false);
        }

        @Override
        public Set<OpType> ops() {
            return EnumSet.of(OpType.MINMAX);
        }

        @Override
        public io.jurunc.vaccel.MinMax.Result minmax(Session session, io.jurunc.vaccel.MinMax call) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new io.jurunc.vaccel.MinMax.Result(0, 0);
        }
    }

    @BeforeEach
    void start() throws Exception {
        f = AgentFixture.start("tcp", tmp, VaccelConfig.of("noop", "slow"), List.of(slow), MAX);
        port = ((InetSocketAddress) f.agent.localAddresses().getFirst()).getPort();
    }

    @AfterEach
    void stop() {
        slow.release.countDown();
        f.close();
    }

    private void assertStillServes() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            Response r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.CREATE_SESSION,
                    SessionProto.CreateRequest.getDefaultInstance());
            assertThat(r.getStatus().getCode()).isZero();
            long id = SessionProto.CreateResponse.parseFrom(r.getPayload()).getSessionId();
            assertThat(id).isPositive();
            r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.DESTROY_SESSION,
                    SessionProto.DestroyRequest.newBuilder().setSessionId(id).build());
            assertThat(r.getStatus().getCode()).isZero();
        }
    }

    @Test
    void malformedRequestIsInvalidArgumentAndTheConnectionKeepsServing() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            c.requestRaw(new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x02});
            Response r = (Response) c.response()[1];
            assertThat(r.getStatus().getCode()).isEqualTo(3);
            Response ok = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.CREATE_SESSION,
                    SessionProto.CreateRequest.getDefaultInstance());
            assertThat(ok.getStatus().getCode()).isZero();
        }
        assertStillServes();
    }

    @Test
    void malformedPayloadOfAKnownMethodIsAnError() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            byte[] p = io.jurunc.ttrpc.proto.Request.newBuilder()
                    .setService(AgentProtocol.SERVICE)
                    .setMethod(AgentProtocol.GENOP)
                    .setPayload(RawTtrpc.bytes(new byte[] {0x0a, 0x7f, 0x01}))
                    .build()
                    .toByteArray();
            c.requestRaw(p);
            Response r = (Response) c.response()[1];
            assertThat(r.getStatus().getCode()).isEqualTo(3);
        }
        assertStillServes();
    }

    @Test
    void oversizedLengthIsInvalidArgumentThenTheConnectionKeepsServing() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            c.frame(MAX + 10, 1, 1, new byte[MAX + 10]);
            Object[] r = c.response();
            assertThat(r[0]).isEqualTo(1);
            assertThat(((Response) r[1]).getStatus().getCode()).isEqualTo(3);
            assertThat(((Response) r[1]).getStatus().getMessage()).contains("exceed maximum message size");
        }
        try (RawTtrpc c = new RawTtrpc(port)) {
            c.frame(Integer.MAX_VALUE, 1, 1, new byte[100]);
        }
        assertStillServes();
    }

    @Test
    void unknownServiceMethodSessionAndUnservedMethodsAreAnswered() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            Response r =
                    c.call("vaccel.other.AgentService", AgentProtocol.GENOP, GenopProto.Request.getDefaultInstance());
            assertThat(r.getStatus().getCode()).isEqualTo(3);
            assertThat(r.getStatus().getMessage()).isEqualTo("/vaccel.other.AgentService/Genop does not exist");
            r = c.call(AgentProtocol.SERVICE, "TorchJitloadForward", GenopProto.Request.getDefaultInstance());
            assertThat(r.getStatus().getCode()).isEqualTo(3);
            assertThat(r.getStatus().getMessage())
                    .isEqualTo("/vaccel.sync.agent.AgentService/TorchJitloadForward does not exist");
            r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.GENOP,
                    GenopProto.Request.newBuilder().setSessionId(999).build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            assertThat(r.getStatus().getMessage()).isEqualTo("Unknown session 999");
            r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.UNREGISTER_RESOURCE,
                    ResourceProto.UnregisterRequest.newBuilder()
                            .setSessionId(999)
                            .setResourceId(1)
                            .build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(createSession(c, 0))
                            .build());
            assertThat(r.getStatus().getCode()).isEqualTo(3);
            assertThat(r.getStatus().getMessage()).contains("needs blobs or paths");
        }
        assertStillServes();
    }

    @Test
    void vaccelErrorsAreInternalWithTheErrnoInMessageAndDetail() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            long sid = createSession(c, PluginType.FPGA);
            GenopProto.Request req = GenopProto.Request.newBuilder()
                    .setSessionId(sid)
                    .addReadArgs(ArgCodec.toProto(Arg.uint8(OpType.IMAGE_DETECT.wire())))
                    .addReadArgs(ArgCodec.toProto(Arg.buffer(new byte[1])))
                    .addWriteArgs(ArgCodec.toProto(Arg.ucharArray(16)))
                    .build();
            Response r = c.call(AgentProtocol.SERVICE, AgentProtocol.GENOP, req);
            assertThat(r.getStatus().getCode()).isEqualTo(13);
            assertThat(r.getStatus().getDetailsCount()).isEqualTo(1);
            for (com.google.protobuf.Any any : r.getStatus().getDetailsList()) {
                assertThat(any.getTypeUrl()).isEqualTo(AgentProtocol.ERROR_TYPE_URL);
                assertThat(ErrorProto.Error.parseFrom(any.getValue()).getFfiError())
                        .isEqualTo(95);
            }
            GenopProto.Request bad = GenopProto.Request.newBuilder()
                    .setSessionId(sid)
                    .addReadArgs(GenopProto.Arg.newBuilder()
                            .setBuf(RawTtrpc.bytes(new byte[3]))
                            .setSize(4)
                            .setArgTypeValue(9))
                    .build();
            r = c.call(AgentProtocol.SERVICE, AgentProtocol.GENOP, bad);
            assertThat(r.getStatus().getMessage()).contains("does not match its buffer");
            assertThat(ErrorProto.Error.parseFrom(r.getStatus().getDetails(0).getValue())
                            .getFfiError())
                    .isEqualTo(22);
        }
        assertStillServes();
    }

    private static long createSession(RawTtrpc c, int flags) throws Exception {
        Response r = c.call(
                AgentProtocol.SERVICE,
                AgentProtocol.CREATE_SESSION,
                SessionProto.CreateRequest.newBuilder().setFlags(flags).build());
        return SessionProto.CreateResponse.parseFrom(r.getPayload()).getSessionId();
    }

    @Test
    void aClientDyingMidCallHasItsSessionsAndResourcesReleased() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            long sid = createSession(c, PluginType.FPGA);
            Response reg = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sid)
                            .setResourceTypeValue(2)
                            .addBlobs(ResourceProto.Blob.newBuilder()
                                    .setName("m.bin")
                                    .setData(RawTtrpc.bytes(new byte[] {1, 2}))
                                    .setSize(2))
                            .build());
            assertThat(reg.getStatus().getCode()).isZero();
            assertThat(f.host.sessionCount()).isEqualTo(1);
            assertThat(f.host.resourceCount()).isEqualTo(1);
            var mm = io.jurunc.vaccel.genop.GenopPacker.minmax(
                    new io.jurunc.vaccel.MinMax(new double[] {1}, 0, 1, new double[1]));
            GenopProto.Request.Builder req = GenopProto.Request.newBuilder().setSessionId(sid);
            mm.read().forEach(a -> req.addReadArgs(ArgCodec.toProto(a)));
            mm.write().forEach(a -> req.addWriteArgs(ArgCodec.toProto(a)));
            c.request(AgentProtocol.SERVICE, AgentProtocol.GENOP, req.build());
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            c.socket.setSoLinger(true, 0);
        }
        assertStillServes();
        slow.release.countDown();
        waitFor(() -> f.host.sessionCount() == 0 && f.host.resourceCount() == 0, Duration.ofSeconds(10));
        assertThat(f.host.sessionCount()).isZero();
        assertThat(f.host.resourceCount()).isZero();
    }

    @Test
    void clientsHangingUpRightAfterCreatingSessionsLeaveNothingBehind() throws Exception {
        for (int i = 0; i < 30; i++) {
            try (RawTtrpc c = new RawTtrpc(port)) {
                c.request(
                        AgentProtocol.SERVICE,
                        AgentProtocol.CREATE_SESSION,
                        SessionProto.CreateRequest.getDefaultInstance());
                c.request(
                        AgentProtocol.SERVICE,
                        AgentProtocol.CREATE_SESSION,
                        SessionProto.CreateRequest.getDefaultInstance());
                c.socket.setSoLinger(true, 0);
            }
        }
        // calls of a closed connection may still be finishing (each undoes itself): wait until it stays clean
        for (int settled = 0; settled < 5; settled++) {
            waitFor(() -> f.host.sessionCount() == 0 && f.agent.clientCount() == 0, Duration.ofSeconds(10));
            Thread.sleep(50);
        }
        assertThat(f.host.sessionCount()).isZero();
        assertThat(f.agent.clientCount()).isZero();
        assertStillServes();
    }

    @Test
    void aClientDyingInTheMiddleOfAFrameIsForgotten() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            createSession(c, 0);
            c.frame(1000, 5, 1, new byte[10]);
        }
        waitFor(() -> f.host.sessionCount() == 0, Duration.ofSeconds(10));
        assertThat(f.host.sessionCount()).isZero();
        assertStillServes();
    }

    @Test
    void aClientKilledMidGenopStreamLeavesNothingBehind() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            long sid = createSession(c, 0);
            GenopProto.Arg part = GenopProto.Arg.newBuilder()
                    .setBuf(RawTtrpc.bytes(new byte[1000]))
                    .setSize(3000)
                    .setParts(3)
                    .setPartNo(1)
                    .setArgTypeValue(28)
                    .build();
            byte[] open = io.jurunc.ttrpc.proto.Request.newBuilder()
                    .setService(AgentProtocol.ASYNC_SERVICE)
                    .setMethod(AgentProtocol.GENOP_STREAM)
                    .build()
                    .toByteArray();
            c.frame(open.length, 3, 1, 2, open);
            byte[] data = GenopProto.Request.newBuilder()
                    .setSessionId(sid)
                    .addReadArgs(part)
                    .build()
                    .toByteArray();
            c.frame(data.length, 3, 3, data);
        }
        waitFor(() -> f.host.sessionCount() == 0, Duration.ofSeconds(10));
        assertThat(f.host.sessionCount()).isZero();
        assertStillServes();
    }

    @Test
    void sessionsAndResourcesOfAnotherConnectionAreUnknownToIt() throws Exception {
        try (RawTtrpc a = new RawTtrpc(port);
                RawTtrpc b = new RawTtrpc(port)) {
            long sa = createSession(a, 0);
            Response reg = a.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sa)
                            .setResourceTypeValue(1)
                            .addBlobs(ResourceProto.Blob.newBuilder()
                                    .setName("secret")
                                    .setData(RawTtrpc.bytes(new byte[] {4, 2}))
                                    .setSize(2))
                            .build());
            long ra = ResourceProto.RegisterResponse.parseFrom(reg.getPayload()).getResourceId();
            long sb = createSession(b, 0);
            Response r = b.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.SYNC_RESOURCE,
                    ResourceProto.SyncRequest.newBuilder().setResourceId(ra).build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            assertThat(r.getStatus().getMessage()).isEqualTo("Unknown resource " + ra);
            r = b.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sb)
                            .setResourceId(ra)
                            .build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            r = b.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.DESTROY_SESSION,
                    SessionProto.DestroyRequest.newBuilder().setSessionId(sa).build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            assertThat(r.getStatus().getMessage()).isEqualTo("Unknown session " + sa);
            r = b.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.GENOP,
                    GenopProto.Request.newBuilder().setSessionId(sa).build());
            assertThat(r.getStatus().getCode()).isEqualTo(5);
            assertThat(f.host.session(sa))
                    .as("a's session survives b's attempts")
                    .isPresent();
            r = a.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.SYNC_RESOURCE,
                    ResourceProto.SyncRequest.newBuilder().setResourceId(ra).build());
            assertThat(r.getStatus().getCode()).isZero();
        }
    }

    @Test
    void hostPathsAreRefusedUnlessInsideAResourceDirectory() throws Exception {
        try (RawTtrpc c = new RawTtrpc(port)) {
            long sid = createSession(c, 0);
            Response r = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sid)
                            .setResourceTypeValue(1)
                            .addPaths("/etc/passwd")
                            .build());
            assertThat(r.getStatus().getCode()).isEqualTo(7);
            assertThat(f.host.resourceCount()).isZero();
        }
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("resources"));
        java.nio.file.Files.write(dir.resolve("model.bin"), new byte[] {7, 7});
        java.nio.file.Files.createSymbolicLink(dir.resolve("escape"), java.nio.file.Path.of("/etc/passwd"));
        try (Vaccel host = Vaccel.bootstrap(
                        VaccelConfig.of("noop").withEnv(java.util.Map.of("XDG_RUNTIME_DIR", tmp.toString())),
                        List.of(new io.jurunc.vaccel.noop.NoopPlugin()));
                Agent agent = Agent.start(
                        host,
                        List.of(new io.jurunc.ttrpc.TtrpcAddress.Tcp("127.0.0.1", 0)),
                        false,
                        MAX,
                        new AgentPolicy(List.of(dir)));
                RawTtrpc c =
                        new RawTtrpc(((InetSocketAddress) agent.localAddresses().getFirst()).getPort())) {
            long sid = createSession(c, 0);
            Response ok = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sid)
                            .setResourceTypeValue(1)
                            .addPaths("file://" + dir.resolve("model.bin"))
                            .build());
            assertThat(ok.getStatus().getCode()).isZero();
            Response escape = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sid)
                            .setResourceTypeValue(1)
                            .addPaths(dir.resolve("escape").toString())
                            .build());
            assertThat(escape.getStatus().getCode())
                    .as("a link out of the directory")
                    .isEqualTo(7);
            Response dotdot = c.call(
                    AgentProtocol.SERVICE,
                    AgentProtocol.REGISTER_RESOURCE,
                    ResourceProto.RegisterRequest.newBuilder()
                            .setSessionId(sid)
                            .setResourceTypeValue(1)
                            .addPaths(dir + "/../resources/../../../etc/passwd")
                            .build());
            assertThat(dotdot.getStatus().getCode()).isEqualTo(7);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier cond, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }
}
