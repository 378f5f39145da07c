package io.jurunc.vaccel.noop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.LogLevel;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Sgemm;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.genop.GenopPacker;
import io.jurunc.vaccel.genop.Packed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every op through the noop plugin, found by ServiceLoader via VACCEL_PLUGINS. */
class NoopPluginTest {
    @TempDir
    Path tmp;

    private Vaccel vaccel() {
        return Vaccel.bootstrap(VaccelConfig.fromEnvironment(
                Map.of("VACCEL_PLUGINS", "libvaccel-noop.so", "XDG_RUNTIME_DIR", tmp.toString())));
    }

    @Test
    void everyOpAnswersWithVaccelsDummies() throws Exception {
        Path lib = Files.writeString(tmp.resolve("libmytestlib.so"), "not really a library");
        Path model = Files.writeString(tmp.resolve("model.bin"), "m");
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            assertThat(s.pluginName()).isEqualTo("noop");
            s.noop();

            Arg out = Arg.output(ArgType.INT32, 4);
            s.exec(lib.toString(), "mytestfunc", List.of(Arg.int32(7)), List.of(out));
            assertThat(out.asInt32()).isEqualTo(7);

            Resource libRes = v.createResource(ResourceSpec.ofPath(lib.toString(), ResourceType.LIB));
            s.register(libRes);
            Arg out2 = Arg.output(ArgType.INT32_ARRAY, 8);
            s.execWithResource(libRes, "mytestfunc", List.of(Arg.int32Array(1, 2)), List.of(out2));
            assertThat(out2.asInt32Array()).containsExactly(1, 2);

            Resource modelRes = v.createResource(ResourceSpec.ofPath(model.toString(), ResourceType.MODEL));
            s.register(modelRes);
            byte[] img = {1, 2, 3};
            assertThat(s.classify(img)).isEqualTo(new ImageResult(NoopPlugin.DUMMY_TAGS, NoopPlugin.DUMMY_IMGNAME));
            assertThat(s.detect(img)).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.segment(img)).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.pose(img)).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            assertThat(s.depth(img)).isEqualTo(NoopPlugin.DUMMY_IMGNAME);

            float[] c = {9f};
            s.sgemm(new Sgemm(1, 1, 1, 1f, new float[] {2f}, 1, new float[] {3f}, 1, 0f, c, 1));
            assertThat(c).containsExactly(9f);

            s.modelLoad(modelRes);
            Tensor in = Tensor.ofFloats(new long[] {1, 2}, new float[] {0.5f, 1.5f});
            List<Tensor> outs = s.modelRun(
                    new ModelRun(modelRes, null, List.of(new Node("x", 0)), List.of(in), List.of(new Node("y", 0))));
            assertThat(outs).containsExactly(in);
            s.modelUnload(modelRes);

            Packed p = GenopPacker.image(OpType.IMAGE_POSE, img);
            s.genop(p.read(), p.write());
            assertThat(p.write().getFirst().asString()).isEqualTo(NoopPlugin.DUMMY_IMGNAME);
            Arg gout = Arg.output(ArgType.INT32, 4);
            Packed e = GenopPacker.exec(new ExecCall(lib.toString(), "f", List.of(Arg.int32(3)), List.of(gout)));
            s.genop(e.read(), e.write());
            assertThat(gout.asInt32()).isEqualTo(3);
        }
    }

    @Test
    void logsEachOpAtDebug() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("noop").withLogLevel(LogLevel.DEBUG));
                Session s = v.createSession(0)) {
            s.noop();
            s.classify(new byte[4]);
        } finally {
            System.setOut(saved);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .contains("<debug> [noop] Calling no-op for session 1")
                .contains("<debug> [noop] Calling image_classify for session 1: image 4 bytes");
    }
}
