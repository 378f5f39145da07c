package io.jurunc.vaccel.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.jurunc.vaccel.Blob;
import io.jurunc.vaccel.Errno;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.VaccelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model resource loaded into an ONNX Runtime session, with its labels. The model is the blob
 * named {@code *.onnx} (else the first blob that is not {@code *.txt}); labels come from a {@code *.txt}
 * blob of the same resource, else from {@code fallbackLabels}.
 */
final class LoadedModel implements AutoCloseable {
    final OrtSession session;
    final Labels labels;
    final String name;
    final String inputName;
    final long[] inputShape;
    final List<String> outputNames;

    private LoadedModel(
            OrtSession session,
            Labels labels,
            String name,
            String inputName,
            long[] inputShape,
            List<String> outputNames) {
        this.session = session;
        this.labels = labels;
        this.name = name;
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.outputNames = outputNames;
    }

    static LoadedModel load(
            OrtEnvironment env, OrtSession.SessionOptions options, Resource resource, Labels fallbackLabels) {
        List<Blob> blobs = resource.blobs();
        Blob model = blobs.stream()
                .filter(b -> b.name().endsWith(".onnx"))
                .findFirst()
                .or(() -> blobs.stream().filter(b -> !b.name().endsWith(".txt")).findFirst())
                .orElseThrow(
                        () -> new VaccelException.InvalidArgumentException(resource + " has no model blob (*.onnx)"));
        Labels labels = blobs.stream()
                .filter(b -> b.name().endsWith(".txt"))
                .findFirst()
                .map(b -> Labels.parse(new String(b.withData().data(), StandardCharsets.UTF_8)))
                .orElse(fallbackLabels);
        try {
            OrtSession s = model.path() != null
                    ? env.createSession(model.path().toString(), options)
                    : env.createSession(model.data(), options);
            try {
                Map.Entry<String, NodeInfo> in =
                        s.getInputInfo().entrySet().iterator().next();
                long[] shape = in.getValue().getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
                return new LoadedModel(
                        s, labels, model.name(), in.getKey(), shape, new ArrayList<>(s.getOutputNames()));
            } catch (OrtException | RuntimeException e) {
                s.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new VaccelException(
                    Errno.EINVAL,
                    "ONNX Runtime cannot load " + model.name() + " of " + resource + ": " + e.getMessage(),
                    e);
        }
    }

    /** The model's image input size: {@code [N,3,H,W]} with H, W taken from the model (224 when dynamic). */
    int[] imageSize() {
        if (inputShape.length != 4 || (inputShape[1] != 3 && inputShape[1] != -1)) {
            throw new VaccelException.InvalidArgumentException("model " + name + " input "
                    + java.util.Arrays.toString(inputShape) + " is not an NCHW image input [N,3,H,W]");
        }
        int h = inputShape[2] > 0 ? (int) inputShape[2] : 224;
        int w = inputShape[3] > 0 ? (int) inputShape[3] : 224;
        return new int[] {h, w};
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new VaccelException(Errno.EIO, "closing ONNX session of " + name + ": " + e.getMessage(), e);
        }
    }
}
