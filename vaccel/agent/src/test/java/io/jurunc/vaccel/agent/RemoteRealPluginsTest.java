package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.exec.TestLibs;
import io.jurunc.vaccel.onnx.OnnxModels;
import io.jurunc.vaccel.onnx.OnnxPlugin;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exec with a gcc-built library and ONNX classification, run on the host through the agent. */
class RemoteRealPluginsTest {
    @TempDir
    Path tmp;

    @Test
    void execAndClassifyThroughTheAgent() throws Exception {
        Path lib = TestLibs.build(tmp, "mytestlib");
        Path model = Files.write(tmp.resolve("colours.onnx"), OnnxModels.colourClassifier(0.5f));
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "red\ngreen\nblue\n");
        BufferedImage img = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 60, 210));
        g.fillRect(0, 0, 50, 50);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);

        try (AgentFixture f = AgentFixture.start(
                        "unix", tmp, VaccelConfig.of("exec", "onnx"), List.of(new OnnxPlugin()), 1 << 30);
                Vaccel v = f.client()) {
            try (Session s = v.createSession(PluginType.SOFTWARE)) {
                Arg out = Arg.output(ArgType.INT32, 4);
                s.exec(lib.toString(), "mytestfunc", List.of(Arg.int32(21)), List.of(out));
                assertThat(out.asInt32()).isEqualTo(42);
                Resource libRes =
                        v.createResource(ResourceSpec.ofBuffer(Files.readAllBytes(lib), ResourceType.LIB, "libmy.so"));
                s.register(libRes);
                Arg out2 = Arg.output(ArgType.INT32, 4);
                s.execWithResource(libRes, "mytestfunc", List.of(Arg.int32(50)), List.of(out2));
                assertThat(out2.asInt32()).isEqualTo(100);
            }
            try (Session s = v.createSession(PluginType.GPU)) {
                Resource m = v.createResource(
                        ResourceSpec.ofPaths(List.of(model.toString(), labels.toString()), ResourceType.MODEL));
                s.register(m);
                String tags = s.classify(png.toByteArray()).tags();
                assertThat(tags).endsWith("% blue");
                assertThat(Double.parseDouble(tags.substring(0, tags.indexOf('%'))))
                        .isBetween(80.0, 99.99);
                s.modelLoad(m);
                float[] px = new float[3 * 32 * 32];
                java.util.Arrays.fill(px, 2048, 3072, 1f);
                List<Tensor> out = s.modelRun(new ModelRun(
                        m,
                        null,
                        List.of(new Node("image", 0)),
                        List.of(Tensor.ofFloats(new long[] {1, 3, 32, 32}, px)),
                        List.of()));
                float[] p = out.getFirst().asFloats();
                assertThat(p[2]).isGreaterThan(p[0]).isGreaterThan(0.5f);
            }
            assertThat(f.host.sessionCount()).isZero();
            assertThat(f.host.resourceCount()).isZero();
        }
    }
}
