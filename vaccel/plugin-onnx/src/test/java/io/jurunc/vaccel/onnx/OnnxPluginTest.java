package io.jurunc.vaccel.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.VaccelException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ONNX Runtime plugin on small real models written by the test, on real PNG files. */
class OnnxPluginTest {
    private static final float SCALE = 0.5f;

    @TempDir
    Path tmp;

    private Vaccel vaccel() {
        return Vaccel.bootstrap(
                VaccelConfig.fromEnvironment(Map.of("VACCEL_PLUGINS", "onnx", "XDG_RUNTIME_DIR", tmp.toString())));
    }

    private Resource classifier(Vaccel v) throws Exception {
        Path model = Files.write(tmp.resolve("colours.onnx"), OnnxModels.colourClassifier(SCALE));
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "red\ngreen\nblue\n");
        return v.createResource(ResourceSpec.ofPaths(List.of(model.toString(), labels.toString()), ResourceType.MODEL));
    }

    /** A 48×40 PNG filled with {@code base}, with a 12×10 patch of {@code patch} in a corner. */
    private Path png(String name, Color base, Color patch) throws Exception {
        BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(base);
        g.fillRect(0, 0, 48, 40);
        g.setColor(patch);
        g.fillRect(36, 30, 12, 10);
        g.dispose();
        Path p = tmp.resolve(name + ".png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    /** The expected top probability, computed independently from the pixel colours and the model's weights. */
    private static double expected(Color base, Color patch, int cls) {
        double area = 48 * 40;
        double patchShare = 12 * 10 / area;
        double[] mean = new double[3];
        float[][] norm = {{0.485f, 0.229f}, {0.456f, 0.224f}, {0.406f, 0.225f}};
        int[] b = {base.getRed(), base.getGreen(), base.getBlue()};
        int[] p = {patch.getRed(), patch.getGreen(), patch.getBlue()};
        for (int c = 0; c < 3; c++) {
            double nb = (b[c] / 255.0 - norm[c][0]) / norm[c][1];
            double np = (p[c] / 255.0 - norm[c][0]) / norm[c][1];
            mean[c] = (1 - patchShare) * nb + patchShare * np;
        }
        double[] logits = new double[3];
        double total = 0;
        for (int k = 0; k < 3; k++) {
            logits[k] = SCALE * (3 * mean[k] - (mean[0] + mean[1] + mean[2]));
            total += Math.exp(logits[k]);
        }
        return Math.exp(logits[cls]) / total;
    }

    @ParameterizedTest
    @CsvSource({"red, 200, 40, 30, 0", "green, 50, 180, 60, 1", "blue, 40, 60, 190, 2"})
    void classifiesARealImage(String label, int r, int g, int b, int cls) throws Exception {
        Color base = new Color(r, g, b);
        Color patch = new Color(120, 120, 120);
        Path image = png(label, base, patch);
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            assertThat(s.pluginName()).isEqualTo("onnx");
            s.register(classifier(v));
            ImageResult res = s.classify(Files.readAllBytes(image));
            assertThat(res.imgname()).isEqualTo(label);
            String[] parts = res.tags().split("% ");
            assertThat(parts[1]).isEqualTo(label);
            double score = Double.parseDouble(parts[0]) / 100;
            double want = expected(base, patch, cls);
            assertThat(want).isBetween(0.6, 0.999);
            assertThat(score).isCloseTo(want, within(0.03));
        }
    }

    @Test
    void genericModelRunOnTensors() throws Exception {
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            Resource m = classifier(v);
            s.register(m);
            s.modelLoad(m);
            float[] px = new float[3 * 32 * 32];
            for (int i = 0; i < 32 * 32; i++) {
                px[i] = -1f;
                px[1024 + i] = 1f;
                px[2048 + i] = 0f;
            }
            List<Tensor> out = s.modelRun(new ModelRun(
                    m,
                    null,
                    List.of(new Node("image", 0)),
                    List.of(Tensor.ofFloats(new long[] {1, 3, 32, 32}, px)),
                    List.of(new Node("probs", 0))));
            assertThat(out).hasSize(1);
            assertThat(out.getFirst().dims()).containsExactly(1, 3);
            float[] p = out.getFirst().asFloats();
            double e0 = Math.exp(SCALE * -3);
            double e1 = Math.exp(SCALE * 3);
            double e2 = Math.exp(0);
            assertThat((double) p[1]).isCloseTo(e1 / (e0 + e1 + e2), within(1e-5));
            assertThat((double) p[0]).isCloseTo(e0 / (e0 + e1 + e2), within(1e-5));
            s.modelUnload(m);
            assertThatThrownBy(() -> s.modelUnload(m))
                    .isInstanceOf(VaccelException.class)
                    .hasMessageContaining("not loaded");
        }
    }

    @Test
    void tfliteAndTorchOpsRunOnnxExportsByPositionAndRefuseOtherFormats() throws Exception {
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            Resource m = classifier(v);
            s.register(m);
            float[] px = new float[3 * 32 * 32];
            for (int i = 0; i < 32 * 32; i++) {
                px[1024 + i] = 1f;
            }
            Tensor in = Tensor.ofFloats(new long[] {1, 3, 32, 32}, px);
            s.torchModelLoad(m);
            List<Tensor> torch = s.torchModelRun(new io.jurunc.vaccel.TorchRun(m, null, List.of(in), 1));
            s.tfliteModelLoad(m);
            List<Tensor> tflite = s.tfliteModelRun(new io.jurunc.vaccel.TfliteRun(m, List.of(in), 1));
            List<Tensor> generic =
                    s.modelRun(new ModelRun(m, null, List.of(new Node("", 0)), List.of(in), List.of(new Node("", 0))));
            assertThat(torch).isEqualTo(generic);
            assertThat(tflite).isEqualTo(generic);
            assertThat(generic.getFirst().asFloats()[1]).isGreaterThan(0.5f);
            s.tfliteModelUnload(m);

            Resource pt =
                    v.createResource(ResourceSpec.ofBuffer(new byte[] {1, 2, 3}, ResourceType.MODEL, "resnet18.pt"));
            s.register(pt);
            assertThatThrownBy(() -> s.torchModelLoad(pt))
                    .isInstanceOf(VaccelException.UnsupportedOpException.class)
                    .hasMessageContaining("unsupported by this plugin")
                    .hasMessageContaining("resnet18.pt");
            Resource lite =
                    v.createResource(ResourceSpec.ofBuffer(new byte[] {1, 2, 3}, ResourceType.MODEL, "m.tflite"));
            s.register(lite);
            assertThatThrownBy(() -> s.tfliteModelRun(new io.jurunc.vaccel.TfliteRun(lite, List.of(in), 1)))
                    .isInstanceOf(VaccelException.UnsupportedOpException.class)
                    .hasMessageContaining("m.tflite");
        }
    }

    @Test
    void detectsARedRegionAndWritesAnOverlay() throws Exception {
        Path model = Files.write(tmp.resolve("detector.onnx"), OnnxModels.redQuadrantDetector());
        Path labels = Files.writeString(tmp.resolve("labels.txt"), "red-thing\n");
        BufferedImage img = new BufferedImage(80, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(60, 60, 60));
        g.fillRect(0, 0, 80, 80);
        g.setColor(new Color(220, 30, 30));
        g.fillRect(0, 0, 40, 40);
        g.dispose();
        Path png = tmp.resolve("scene.png");
        ImageIO.write(img, "png", png.toFile());
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            s.register(v.createResource(
                    ResourceSpec.ofPaths(List.of(model.toString(), labels.toString()), ResourceType.MODEL)));
            ImageResult r = s.image(io.jurunc.vaccel.OpType.IMAGE_DETECT, Files.readAllBytes(png));
            assertThat(r.tags().lines()).hasSize(1);
            assertThat(r.tags()).startsWith("red-thing 0.99").endsWith("[0.000,0.000,0.500,0.500]");
            Path overlay = Path.of(r.imgname());
            assertThat(overlay).startsWith(v.rundir()).exists();
            BufferedImage o = ImageIO.read(overlay.toFile());
            Color edge = new Color(o.getRGB(20, 1));
            assertThat(edge.getRed()).isGreaterThan(200);
            assertThat(edge.getGreen()).isGreaterThan(200);
            assertThat(edge.getBlue()).isLessThan(80);
            assertThat(new Color(o.getRGB(60, 60))).isEqualTo(new Color(60, 60, 60));
            assertThat(s.detect(Files.readAllBytes(png))).endsWith(".png");
        }
    }

    @Test
    void badInputsAreTypedErrors() throws Exception {
        try (Vaccel v = vaccel();
                Session s = v.createSession(0)) {
            assertThatThrownBy(() -> s.classify(new byte[] {1, 2, 3}))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class)
                    .hasMessageContaining("needs a MODEL resource");
            s.register(classifier(v));
            assertThatThrownBy(() -> s.classify(new byte[] {1, 2, 3}))
                    .isInstanceOf(VaccelException.InvalidArgumentException.class)
                    .hasMessageContaining("cannot decode");
            Resource junk =
                    v.createResource(ResourceSpec.ofBuffer(new byte[] {9, 9, 9}, ResourceType.MODEL, "junk.onnx"));
            s.register(junk);
            assertThatThrownBy(() -> s.modelLoad(junk))
                    .isInstanceOf(VaccelException.class)
                    .hasMessageContaining("cannot load junk.onnx");
            assertThatThrownBy(() -> s.segment(new byte[] {1}))
                    .isInstanceOf(VaccelException.UnsupportedOpException.class);
        }
    }

    @Test
    void runsOnTheCpuProviderHere() {
        OnnxPlugin p = new OnnxPlugin();
        try (Vaccel v = Vaccel.bootstrap(VaccelConfig.of("onnx"), List.of(p))) {
            assertThat(v.plugins()).hasSize(1);
            assertThat(p.provider()).isIn("CPU", "CUDA");
        }
    }
}
