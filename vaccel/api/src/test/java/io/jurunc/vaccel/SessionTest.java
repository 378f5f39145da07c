package io.jurunc.vaccel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.vaccel.genop.GenopPacker;
import io.jurunc.vaccel.genop.Packed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTest {
    @TempDir
    Path tmp;

    private final RecordingPlugin full =
            new RecordingPlugin("full", PluginType.CPU, false, EnumSet.allOf(OpType.class));
    private final RecordingPlugin execOnly =
            new RecordingPlugin("exec", PluginType.SOFTWARE, false, EnumSet.of(OpType.EXEC));

    private Vaccel vaccel(String... plugins) {
        return Vaccel.bootstrap(
                VaccelConfig.of(plugins).withEnv(Map.of("XDG_RUNTIME_DIR", tmp.toString())), List.of(full, execOnly));
    }

    @Test
    void anOpTheSessionPluginLacksIsEnotsupWithoutFallback() {
        try (Vaccel v = vaccel("exec", "full");
                Session s = v.createSession(PluginType.SOFTWARE)) {
            assertThatThrownBy(s::noop)
                    .isInstanceOf(VaccelException.UnsupportedOpException.class)
                    .hasMessageContaining("does not implement noop");
            assertThat(full.calls).doesNotContain("noop");
        }
    }

    @Test
    void execFillsWriteArgs() {
        try (Vaccel v = vaccel("full");
                Session s = v.createSession(0)) {
            Arg out = Arg.output(ArgType.INT32, 4);
            s.exec("/lib/x.so", "fn", List.of(Arg.int32(21)), List.of(out));
            assertThat(out.asInt32()).isEqualTo(42);
            assertThat(full.calls).contains("exec /lib/x.so fn 1/1");
        }
    }

    @Test
    void resourcesAreCheckedForTypeAndRegistration() throws Exception {
        Path lib = Files.writeString(tmp.resolve("lib.so"), "x");
        try (Vaccel v = vaccel("full");
                Session s = v.createSession(0)) {
            Resource data = v.createResource(ResourceSpec.ofPath(lib.toString(), ResourceType.DATA));
            Resource libr = v.createResource(ResourceSpec.ofPath("file://" + lib, ResourceType.LIB));
            assertThatThrownBy(() -> s.execWithResource(libr, "fn", List.of(), List.of()))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            s.register(data);
            assertThatThrownBy(() -> s.execWithResource(data, "fn", List.of(), List.of()))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class);
            s.register(libr);
            s.register(libr);
            s.execWithResource(libr, "fn", List.of(), List.of());
            assertThat(full.calls)
                    .containsSubsequence(
                            "register " + data.id(), "register " + libr.id(), "execWithResource " + libr.id() + " fn");
            assertThat(full.calls.stream().filter(c -> c.equals("register " + libr.id())))
                    .hasSize(1);
            assertThatThrownBy(libr::close)
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
            assertThatThrownBy(() -> s.update(PluginType.GPU))
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
            s.unregister(libr);
            libr.close();
            assertThat(v.resource(libr.id())).isEmpty();
        }
    }

    @Test
    void resourcesFromDirectoriesBuffersAndUrisAreValidated() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("model/sub"));
        Files.writeString(dir.resolve("b.txt"), "b");
        Files.writeString(tmp.resolve("model/a.txt"), "a");
        try (Vaccel v = vaccel("full")) {
            Resource r =
                    v.createResource(ResourceSpec.ofPath(tmp.resolve("model").toString(), ResourceType.DATA));
            assertThat(r.blobs()).extracting(Blob::name).containsExactly("a.txt", "b.txt");
            assertThat(r.directory()).isEqualTo(tmp.resolve("model"));
            Resource buf = v.createResource(
                    ResourceSpec.ofBuffer("hello".getBytes(StandardCharsets.UTF_8), ResourceType.MODEL, "m.bin"));
            Path written = buf.mainPath();
            assertThat(written).startsWith(v.rundir()).hasFileName("m.bin");
            assertThat(Files.readString(written)).isEqualTo("hello");
            buf.close();
            assertThat(written).doesNotExist();
        }
        assertThatThrownBy(() -> ResourceSpec.ofPath("https://example.org/m.onnx", ResourceType.MODEL))
                .isInstanceOfSatisfying(
                        VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP));
        assertThatThrownBy(() -> ResourceSpec.ofPath(tmp.resolve("missing").toString(), ResourceType.MODEL))
                .isInstanceOfSatisfying(
                        VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThatThrownBy(() -> ResourceSpec.ofPaths(
                        List.of(
                                tmp.resolve("model/a.txt").toString(),
                                tmp.resolve("model").toString()),
                        ResourceType.DATA))
                .hasMessageContaining("is a directory");
    }

    @Test
    void closingTheSessionUnregistersResourcesAndReturnsTheId() throws Exception {
        Path f = Files.writeString(tmp.resolve("m"), "m");
        try (Vaccel v = vaccel("full")) {
            Session s = v.createSession(0);
            Resource r = v.createResource(ResourceSpec.ofPath(f.toString(), ResourceType.MODEL));
            s.register(r);
            long id = s.id();
            s.close();
            assertThat(full.calls).containsSubsequence("unregister " + r.id(), "sessionRelease " + id);
            assertThat(r.refcount()).isZero();
            assertThatThrownBy(s::noop)
                    .isInstanceOfSatisfying(
                            VaccelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESESS));
            assertThat(v.createSession(0).id()).isEqualTo(id);
        }
    }

    @Test
    void imageOpsGetTheFirstModelResource() throws Exception {
        Path f = Files.writeString(tmp.resolve("m"), "m");
        try (Vaccel v = vaccel("full");
                Session s = v.createSession(0)) {
            assertThat(s.classify(new byte[3])).isEqualTo(new ImageResult("tag-3", "img-image_classify"));
            Resource model = v.createResource(ResourceSpec.ofPath(f.toString(), ResourceType.MODEL));
            s.register(model);
            assertThat(s.depth(new byte[5])).isEqualTo("img-image_depth");
            assertThat(full.calls).contains("image_depth 5 model " + model.id());
            assertThatThrownBy(() -> s.classify(new byte[0]))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class);
        }
    }

    @Test
    void genopIsUnpackedIntoTheTypedOps() {
        try (Vaccel v = vaccel("full");
                Session s = v.createSession(0)) {
            Packed noop = GenopPacker.noop();
            s.genop(noop.read(), noop.write());
            Arg out = Arg.output(ArgType.INT32, 4);
            Packed exec = GenopPacker.exec(new ExecCall("/l.so", "f", List.of(Arg.int32(4)), List.of(out)));
            s.genop(exec.read(), exec.write());
            assertThat(out.asInt32()).isEqualTo(8);
            Packed cls = GenopPacker.image(OpType.IMAGE_CLASSIFY, new byte[7]);
            s.genop(cls.read(), cls.write());
            assertThat(cls.write().get(0).asString()).isEqualTo("img-image_classify");
            assertThat(cls.write().get(1).asString()).isEqualTo("tag-7");
            float[] c = {1, 1, 1, 1};
            Packed sg = GenopPacker.sgemm(
                    new Sgemm(2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 2, new float[] {5, 6, 7, 8}, 2, 1f, c, 2));
            s.genop(sg.read(), sg.write());
            GenopPacker.sgemmResult(sg, c);
            assertThat(c).containsExactly(20f, 23f, 44f, 51f);
            assertThat(full.calls).containsSubsequence("noop", "exec /l.so f 1/1", "image_classify 7", "sgemm");
            assertThatThrownBy(() -> s.genop(List.of(Arg.uint8(OpType.TORCH_MODEL_RUN.wire())), List.of()))
                    .isInstanceOf(VaccelException.UnsupportedOpException.class);
            assertThatThrownBy(() -> s.genop(List.of(Arg.uint8(99)), List.of()))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class);
            assertThatThrownBy(() -> s.genop(List.of(Arg.int32(0)), List.of()))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class);
        }
    }

    @Test
    void profilingRecordsRegionsAndPrintsProfLines() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            VaccelConfig c = VaccelConfig.of("full").withProfiling(true).withLogLevel(LogLevel.INFO);
            try (Vaccel v = Vaccel.bootstrap(c, List.of(full));
                    Session s = v.createSession(0)) {
                for (int i = 0; i < 3; i++) {
                    s.noop();
                }
                s.classify(new byte[1]);
                assertThat(s.profile().get("vaccel_noop")).hasSize(3);
                assertThat(v.profiler().region("vaccel_image_op").entries()).isEqualTo(1);
            }
        } finally {
            System.setOut(saved);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .containsPattern("<info> \\[prof\\] vaccel_noop: total_time: \\d+ nsec nr_entries: 3")
                .containsPattern("\\[prof\\] vaccel_image_op: total_time: \\d+ nsec nr_entries: 1");
    }

    @Test
    void profilingIsOffByDefault() {
        try (Vaccel v = vaccel("full");
                Session s = v.createSession(0)) {
            s.noop();
            assertThat(s.profile()).isEmpty();
        }
    }
}
