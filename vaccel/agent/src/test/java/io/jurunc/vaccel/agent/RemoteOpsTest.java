package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Sgemm;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.genop.GenopPacker;
import io.jurunc.vaccel.genop.Packed;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.prof.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every op through the rpc plugin and the agent (noop and exec on the host), over unix and TCP. */
class RemoteOpsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void everyNoopOpThroughTheAgent(String transport) throws Exception {
        Path model = Files.writeString(tmp.resolve("model.bin"), "weights");
        Path lib = Files.writeString(tmp.resolve("libfake.so"), "lib");
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel v = f.client();
                Session s = v.createSession(PluginType.DEBUG)) {
            assertThat(s.isRemote()).isTrue();
            assertThat(s.remoteId()).isPositive();
            Session host = f.host.session(s.remoteId()).orElseThrow();
            assertThat(host.pluginName()).isEqualTo("noop");
            s.noop();

            Arg out = Arg.output(ArgType.INT32, 4);
            s.exec("/host/lib.so", "fn", List.of(Arg.int32(11)), List.of(out));
            assertThat(out.asInt32()).isEqualTo(11);

            Resource m = v.createResource(ResourceSpec.ofPath(model.toString(), ResourceType.MODEL));
            s.register(m);
            assertThat(m.remoteId()).isPositive();
            Resource hostModel = f.host.resource(m.remoteId()).orElseThrow();
            assertThat(hostModel.blobs().getFirst().data()).asString().isEqualTo("weights");
            assertThat(host.hasResource(hostModel)).isTrue();

            assertThat(s.classify(new byte[] {1, 2})).isEqualTo(new ImageResult(NoopPlugin.DUMMY_TAGS, ""));
            assertThat(s.detect(new byte[] {1})).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.segment(new byte[] {1})).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.pose(new byte[] {1})).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.depth(new byte[] {1})).isEqualTo(NoopPlugin.DUMMY_IMGNAME);

            float[] c = {3f, 4f};
            s.sgemm(new Sgemm(1, 2, 1, 1f, new float[] {1f}, 1, new float[] {1f, 1f}, 2, 1f, c, 2));
            assertThat(c).containsExactly(3f, 4f);

            Resource libr = v.createResource(ResourceSpec.ofPath(lib.toString(), ResourceType.LIB));
            s.register(libr);
            Arg out2 = Arg.output(ArgType.INT32_ARRAY, 8);
            s.execWithResource(libr, "fn", List.of(Arg.int32Array(5, 6)), List.of(out2));
            assertThat(out2.asInt32Array()).containsExactly(5, 6);

            s.modelLoad(m);
            Tensor in = Tensor.ofFloats(new long[] {2}, new float[] {1f, 2f});
            assertThat(s.modelRun(
                            new ModelRun(m, null, List.of(new Node("x", 0)), List.of(in), List.of(new Node("y", 0)))))
                    .containsExactly(in);
            s.modelUnload(m);

            Packed p = GenopPacker.image(OpType.IMAGE_CLASSIFY, new byte[] {9});
            s.genop(p.read(), p.write());
            assertThat(p.write().get(0).asString()).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(p.write().get(1).asString()).isEqualTo(NoopPlugin.DUMMY_TAGS);

            s.unregister(libr);
            assertThat(f.host.resource(libr.remoteId()))
                    .as("destroyed when its last session unregisters it")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix"})
    void sessionsAndSharedResourcesAreReleasedOnTheAgent(String transport) throws Exception {
        Path model = Files.writeString(tmp.resolve("m"), "m");
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel v = f.client()) {
            Session a = v.createSession(0);
            Session b = v.createSession(0);
            Resource r = v.createResource(ResourceSpec.ofPath(model.toString(), ResourceType.MODEL));
            a.register(r);
            long remote = r.remoteId();
            b.register(r);
            assertThat(r.remoteId()).as("re-registered by id").isEqualTo(remote);
            assertThat(f.host.resource(remote).orElseThrow().refcount()).isEqualTo(2);
            a.close();
            assertThat(f.host.resource(remote)).isPresent();
            b.close();
            assertThat(f.host.sessionCount()).isZero();
            assertThat(f.host.resourceCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void bigGenopsGoWholeAndGenopStreamCarriesThemAboveTheMessageLimit(String transport) throws Exception {
        byte[] big = new byte[10 * 1024 * 1024 + 12];
        new Random(7).nextBytes(big);
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel whole = f.client();
                Vaccel streamed = f.client(false, Map.of("VACCEL_RPC_MESSAGE_MAX", String.valueOf(1 << 20)))) {
            for (Vaccel v : List.of(whole, streamed)) {
                try (Session s = v.createSession(0)) {
                    Arg in = Arg.of(ArgType.UINT8_ARRAY, big);
                    Arg out = Arg.output(ArgType.UINT8_ARRAY, big.length);
                    s.exec("/host/lib.so", "fn", List.of(in, Arg.string("small")), List.of(out));
                    assertThat(out.buffer()).isEqualTo(big);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp"})
    void syncReturnsTheAgentsBlobsAndUpdateChangesFlags(String transport) throws Exception {
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel v = f.client();
                Session s = v.createSession(0)) {
            s.update(PluginType.CPU);
            assertThat(f.host.session(s.remoteId()).orElseThrow().flags()).isEqualTo(PluginType.CPU);
            Resource r = v.createResource(ResourceSpec.ofBuffer(new byte[] {1, 2, 3}, ResourceType.DATA, "d.bin"));
            s.register(r);
            s.sync(r);
            assertThat(r.blobs().getFirst().data()).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> s.update(PluginType.GPU))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix"})
    void manyClientsAndSessionsAtOnce(String transport) throws Exception {
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel c1 = f.client();
                Vaccel c2 = f.client()) {
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int t = 0; t < 8; t++) {
                Vaccel v = t % 2 == 0 ? c1 : c2;
                int seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Session s = v.createSession(0)) {
                        for (int i = 0; i < 50; i++) {
                            Arg out = Arg.output(ArgType.INT32, 4);
                            s.exec("/host/lib.so", "fn", List.of(Arg.int32(seed * 1000 + i)), List.of(out));
                            assertThat(out.asInt32()).isEqualTo(seed * 1000 + i);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertThat(failures).isEmpty();
            assertThat(f.host.sessionCount()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp"})
    void vaccelErrorsKeepTheirErrno(String transport) throws Exception {
        try (AgentFixture f = AgentFixture.start(transport, tmp);
                Vaccel v = f.client();
                Session s = v.createSession(PluginType.CPU)) {
            assertThat(f.host.session(s.remoteId()).orElseThrow().pluginName()).isEqualTo("exec");
            assertThatThrownBy(() -> s.classify(new byte[1]))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP));
            assertThatThrownBy(() -> s.exec(tmp.resolve("missing.so").toString(), "f", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELIBBAD))
                    .hasMessageContaining("missing.so");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix"})
    void profilesAreFetchedWithGetProfilerAndMerged(String transport) throws Exception {
        try (AgentFixture f = AgentFixture.start(
                        transport, tmp, VaccelConfig.of("noop").withProfiling(true), List.of(), 1 << 30);
                Vaccel v = f.client(true);
                Session s = v.createSession(0)) {
            for (int i = 0; i < 3; i++) {
                s.exec("/host/lib.so", "fn", List.of(Arg.int32(i)), List.of(Arg.output(ArgType.INT32, 4)));
            }
            s.noop();
            Map<String, List<Sample>> prof = s.profile();
            assertThat(prof.get("vaccel_noop")).as("noop completes locally").hasSize(1);
            assertThat(prof.get("vaccel_exec_op")).hasSize(3);
            assertThat(prof.get("[vaccel-rpc-client] genop > client.genop")).hasSize(3);
            assertThat(prof.get("[vaccel-rpc-agent] genop > sess.genop")).hasSize(3);
            assertThat(prof.get("[vaccel-rpc-agent] vaccel_exec_op")).hasSize(3);
            assertThat(prof).doesNotContainKey("[vaccel-rpc-agent] vaccel_noop");
        }
    }
}
