package io.jurunc.vaccel.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.PluginContext;
import io.jurunc.vaccel.PluginInfo;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.TfliteRun;
import io.jurunc.vaccel.TorchRun;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelException;
import io.jurunc.vaccel.VaccelLog;
import io.jurunc.vaccel.prof.Profiler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ONNX Runtime plugin (vAccel has none; this one follows the torch plugin's shape). Image classify and
 * detect run the session's MODEL resource on a pre-processed image ({@link ImagePreprocessor}); the generic
 * model ops (vAccel's tf model load/unload/run layout) run any ONNX model on vAccel tensors.
 *
 * <p>Settings: {@code VACCEL_ONNX_LABELS} (labels file when the resource has no {@code *.txt} blob),
 * {@code VACCEL_ONNX_DETECT_THRESHOLD} (default 0.5), {@code VACCEL_ONNX_CUDA} (default 1: use the CUDA
 * execution provider when ONNX Runtime offers it, i.e. with the onnxruntime_gpu artifact and a GPU;
 * otherwise, or if adding it fails, CPU).
 */
public final class OnnxPlugin implements Plugin {
    private static final PluginInfo INFO = new PluginInfo(
            "onnx", "0.1.0", Vaccel.VERSION, PluginType.CPU | PluginType.GPU | PluginType.GENERIC, false);
    private static final Set<OpType> OPS = EnumSet.of(
            OpType.NOOP,
            OpType.IMAGE_CLASSIFY,
            OpType.IMAGE_DETECT,
            OpType.TF_MODEL_LOAD,
            OpType.TF_MODEL_UNLOAD,
            OpType.TF_MODEL_RUN,
            OpType.TFLITE_MODEL_LOAD,
            OpType.TFLITE_MODEL_UNLOAD,
            OpType.TFLITE_MODEL_RUN,
            OpType.TORCH_MODEL_LOAD,
            OpType.TORCH_MODEL_RUN);

    private final Map<Long, LoadedModel> models = new ConcurrentHashMap<>();
    private final AtomicLong overlays = new AtomicLong();
    private volatile OrtEnvironment env;
    private volatile OrtSession.SessionOptions options;
    private volatile Labels fallbackLabels = new Labels(List.of());
    private volatile float detectThreshold = 0.5f;
    private volatile PluginContext context;
    private volatile String provider = "CPU";

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public Set<OpType> ops() {
        return OPS;
    }

    /** The execution provider in use: {@code CUDA} or {@code CPU}. */
    public String provider() {
        return provider;
    }

    @Override
    public void init(PluginContext ctx) {
        context = ctx;
        String labels = ctx.config().env().get("VACCEL_ONNX_LABELS");
        if (labels != null) {
            try {
                fallbackLabels = Labels.parse(Files.readString(Path.of(labels)));
            } catch (IOException e) {
                throw new VaccelException(
                        Errno.ENOENT, "VACCEL_ONNX_LABELS=" + labels + " cannot be read: " + e.getMessage(), e);
            }
        }
        String th = ctx.config().envOr("VACCEL_ONNX_DETECT_THRESHOLD", "0.5");
        try {
            detectThreshold = Float.parseFloat(th);
        } catch (NumberFormatException e) {
            throw new VaccelException.InvalidArgumentException(
                    "VACCEL_ONNX_DETECT_THRESHOLD='" + th + "' is not a number");
        }
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        if (ctx.config().envFlag("VACCEL_ONNX_CUDA", true)
                && OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            try {
                o.addCUDA(0);
                provider = "CUDA";
            } catch (OrtException e) {
                ctx.log().warn("[onnx] CUDA execution provider unavailable, using CPU: " + e.getMessage());
            }
        }
        options = o;
        ctx.log().debug(() -> "[onnx] execution provider " + provider);
    }

    @Override
    public void fini() {
        for (Long id : List.copyOf(models.keySet())) {
            LoadedModel m = models.remove(id);
            if (m != null) {
                m.close();
            }
        }
        OrtSession.SessionOptions o = options;
        if (o != null) {
            o.close();
        }
    }

    private LoadedModel model(Resource r) {
        return models.computeIfAbsent(r.id(), id -> LoadedModel.load(env, options, r, fallbackLabels));
    }

    @Override
    public void resourceUnregister(Resource resource, Session session) {
        if (resource.refcount() == 0) {
            LoadedModel m = models.remove(resource.id());
            if (m != null) {
                m.close();
            }
        }
    }

    @Override
    public void noop(Session session) {
        log().debug(() -> "[onnx] Calling no-op for session " + session.id());
    }

    private VaccelLog log() {
        return context.log();
    }

    @Override
    public ImageResult image(Session session, OpType op, byte[] image, Resource model) {
        if (model == null) {
            throw new VaccelException.InvalidArgumentException(op.label()
                    + " with the onnx plugin needs a MODEL resource registered with session " + session.id());
        }
        LoadedModel m = model(model);
        int[] hw = m.imageSize();
        BufferedImage decoded;
        float[] input;
        try (Profiler.Timer t = session.profiler().start("onnx_input")) {
            decoded = ImagePreprocessor.decode(image);
            input = ImagePreprocessor.toNchw(ImagePreprocessor.resize(decoded, hw[1], hw[0]));
        }
        List<float[]> outs = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        try (Profiler.Timer t = session.profiler().start("onnx_run");
                OnnxTensor in = OnnxTensor.createTensor(
                        env, java.nio.FloatBuffer.wrap(input), new long[] {1, 3, hw[0], hw[1]});
                OrtSession.Result r = m.session.run(Map.of(m.inputName, in))) {
            for (Map.Entry<String, OnnxValue> e : r) {
                if (!(e.getValue() instanceof OnnxTensor ot)) {
                    throw new VaccelException.BackendException("model output " + e.getKey() + " is not a tensor");
                }
                java.nio.FloatBuffer fb = ot.getFloatBuffer();
                if (fb == null) {
                    throw new VaccelException.BackendException("model output " + e.getKey() + " is not float32");
                }
                float[] v = new float[fb.remaining()];
                fb.get(v);
                outs.add(v);
                shapes.add(ot.getInfo().getShape());
            }
        } catch (OrtException e) {
            throw new VaccelException.BackendException(
                    Errno.EBACKEND, "ONNX Runtime failed to run " + m.name + ": " + e.getMessage(), e);
        }
        return switch (op) {
            case IMAGE_CLASSIFY -> classify(m, outs.getFirst());
            case IMAGE_DETECT -> detect(session, m, decoded, outs, shapes);
            default ->
                throw new VaccelException.UnsupportedOpException("the onnx plugin does not implement " + op.label());
        };
    }

    private static ImageResult classify(LoadedModel m, float[] logits) {
        float[] p = Scores.probabilities(logits);
        int best = Scores.argmax(p);
        String label = m.labels.name(best);
        return new ImageResult(String.format(Locale.ROOT, "%.3f%% %s", p[best] * 100, label), label);
    }

    /**
     * Detection output contract: output 0 = boxes {@code [1,N,4]} (x1, y1, x2, y2 normalised to [0,1]),
     * output 1 = scores {@code [1,N]} or {@code [1,N,C]}. Boxes scoring at least the threshold are drawn on
     * the image; the overlay PNG goes to the rundir and its path is the imgname. Tags list the detections.
     */
    private ImageResult detect(
            Session session, LoadedModel m, BufferedImage img, List<float[]> outs, List<long[]> shapes) {
        if (outs.size() < 2 || shapes.get(0).length != 3 || shapes.get(0)[2] != 4) {
            throw new VaccelException.InvalidArgumentException(
                    "detection model " + m.name + " must output boxes [1,N,4] and scores [1,N(,C)]");
        }
        int n = (int) shapes.get(0)[1];
        int classes = shapes.get(1).length == 3 ? (int) shapes.get(1)[2] : 1;
        float[] boxes = outs.get(0);
        float[] scores = outs.get(1);
        List<Detection> found = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int cls = 0;
            float s = scores[i * classes];
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > s) {
                    s = scores[i * classes + c];
                    cls = c;
                }
            }
            if (s >= detectThreshold) {
                found.add(new Detection(
                        m.labels.name(cls), s, boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]));
            }
        }
        Path out = context.rundir()
                .get()
                .resolve("onnx-detect-" + session.id() + "-" + overlays.incrementAndGet() + ".png");
        Overlay.write(img, found, out);
        StringBuilder tags = new StringBuilder();
        for (Detection d : found) {
            tags.append(d).append('\n');
        }
        return new ImageResult(tags.toString().strip(), out.toString());
    }

    @Override
    public void modelLoad(Session session, Resource model) {
        model(model);
    }

    @Override
    public void modelUnload(Session session, Resource model) {
        LoadedModel m = models.remove(model.id());
        if (m == null) {
            throw new VaccelException(Errno.ENOENT, model + " is not loaded");
        }
        m.close();
    }

    @Override
    public List<Tensor> modelRun(Session session, ModelRun run) {
        LoadedModel m = model(run.model());
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            List<String> inputNames = new ArrayList<>(m.session.getInputNames());
            for (int i = 0; i < run.inNodes().size(); i++) {
                Node node = run.inNodes().get(i);
                String name = node.name().isEmpty() ? inputNames.get(node.id()) : node.name();
                inputs.put(name, TensorMapping.toOnnx(env, run.inTensors().get(i)));
            }
            Set<String> wanted = new LinkedHashSet<>();
            for (Node node : run.outNodes()) {
                wanted.add(node.name().isEmpty() ? m.outputNames.get(node.id()) : node.name());
            }
            if (wanted.isEmpty()) {
                wanted.addAll(m.outputNames);
            }
            try (Profiler.Timer t = session.profiler().start("onnx_run");
                    OrtSession.Result r = m.session.run(inputs, wanted)) {
                List<Tensor> out = new ArrayList<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (!(e.getValue() instanceof OnnxTensor ot)) {
                        throw new VaccelException.BackendException("model output " + e.getKey() + " is not a tensor");
                    }
                    out.add(TensorMapping.fromOnnx(ot));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new VaccelException.BackendException(
                    Errno.EBACKEND, "ONNX Runtime failed to run " + m.name + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    // TensorFlow Lite and Torch model ops: served on the generic path when the model resource is an ONNX
    // export; a .tflite or TorchScript file is refused, since ONNX Runtime cannot load it.

    @Override
    public void tfliteModelLoad(Session session, Resource model) {
        modelLoad(session, requireOnnx(model, "TensorFlow Lite"));
    }

    @Override
    public void tfliteModelUnload(Session session, Resource model) {
        modelUnload(session, requireOnnx(model, "TensorFlow Lite"));
    }

    @Override
    public List<Tensor> tfliteModelRun(Session session, TfliteRun run) {
        return modelRun(
                session,
                byPosition(requireOnnx(run.model(), "TensorFlow Lite"), null, run.inTensors(), run.nrOutTensors()));
    }

    @Override
    public void torchModelLoad(Session session, Resource model) {
        modelLoad(session, requireOnnx(model, "Torch"));
    }

    @Override
    public List<Tensor> torchModelRun(Session session, TorchRun run) {
        return modelRun(
                session,
                byPosition(requireOnnx(run.model(), "Torch"), run.runOptions(), run.inTensors(), run.nrOutTensors()));
    }

    private static Resource requireOnnx(Resource model, String framework) {
        boolean onnx = model.blobs().stream()
                .anyMatch(b -> b.name().toLowerCase(Locale.ROOT).endsWith(".onnx"));
        if (!onnx) {
            String names = model.blobs().stream().map(b -> b.name()).toList().toString();
            throw new VaccelException.UnsupportedOpException("onnx plugin: " + framework + " model " + names
                    + " is unsupported by this plugin: it runs ONNX models only (export the model to .onnx)");
        }
        return model;
    }

    /** Inputs and outputs by position, as TFLite and Torch address them (an output count of 0 means all). */
    private ModelRun byPosition(Resource model, byte[] runOptions, List<Tensor> in, int nrOut) {
        List<Node> inNodes = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            inNodes.add(new Node("", i));
        }
        List<Node> outNodes = new ArrayList<>();
        int available = model(model).outputNames.size();
        if (nrOut > available) {
            throw new VaccelException.InvalidArgumentException(
                    "model has " + available + " outputs, " + nrOut + " requested");
        }
        for (int i = 0; i < nrOut; i++) {
            outNodes.add(new Node("", i));
        }
        return new ModelRun(model, runOptions, inNodes, in, outNodes);
    }

    /** One detection: label, score and normalised box corners. */
    record Detection(String label, float score, float x1, float y1, float x2, float y2) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %.3f [%.3f,%.3f,%.3f,%.3f]", label, score, x1, y1, x2, y2);
        }
    }
}
