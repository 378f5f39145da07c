package io.jurunc.vaccel.agent;

import com.google.protobuf.Empty;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.DataType;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.TensorTypes;
import io.jurunc.vaccel.TfliteRun;
import io.jurunc.vaccel.TorchRun;
import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.rpc.proto.TfProto;
import io.jurunc.vaccel.rpc.proto.TfliteProto;
import io.jurunc.vaccel.rpc.proto.TorchProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The TensorFlow, TensorFlow Lite and Torch model methods, each on the host session's plugin. Tensor types
 * travel in each framework's wire numbering: tf = TF_DataType, tflite = TfLiteType + 1, torch = vAccel's
 * torch types.
 */
final class ModelMethods {
    private final AgentState state;

    ModelMethods(AgentState state) {
        this.state = state;
    }

    TfProto.ModelLoadResponse tfLoad(TfProto.ModelLoadRequest req, CallContext ctx) throws TtrpcException {
        withModel(ctx, req.getSessionId(), req.getModelId(), Session::modelLoad);
        return TfProto.ModelLoadResponse.getDefaultInstance();
    }

    TfProto.ModelUnloadResponse tfUnload(TfProto.ModelUnloadRequest req, CallContext ctx) throws TtrpcException {
        withModel(ctx, req.getSessionId(), req.getModelId(), Session::modelUnload);
        return TfProto.ModelUnloadResponse.getDefaultInstance();
    }

    TfProto.ModelRunResponse tfRun(TfProto.ModelRunRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Resource model = state.resource(ctx, req.getModelId());
        List<Tensor> in = new ArrayList<>();
        for (TfProto.Tensor t : req.getInTensorsList()) {
            in.add(new Tensor(
                    DataType.of(t.getTypeValue()),
                    dims(t.getDimsList()),
                    t.getData().toByteArray()));
        }
        ModelRun run = new ModelRun(
                model,
                req.hasRunOptions() ? req.getRunOptions().toByteArray() : null,
                nodes(req.getInNodesList()),
                in,
                nodes(req.getOutNodesList()));
        List<Tensor> out;
        try (Profiler.Timer t = state.profiler(s.id()).start("model_run > sess.model_run")) {
            out = s.modelRun(run);
        }
        TfProto.ModelRunResponse.Builder b = TfProto.ModelRunResponse.newBuilder();
        for (Tensor t : out) {
            TfProto.Tensor.Builder tb = TfProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(t.type().code());
            for (long d : t.dims()) {
                tb.addDims(d);
            }
            b.addOutTensors(tb);
        }
        return b.build();
    }

    Empty tfliteLoad(TfliteProto.ModelLoadRequest req, CallContext ctx) throws TtrpcException {
        withModel(ctx, req.getSessionId(), req.getModelId(), Session::tfliteModelLoad);
        return Empty.getDefaultInstance();
    }

    Empty tfliteUnload(TfliteProto.ModelUnloadRequest req, CallContext ctx) throws TtrpcException {
        withModel(ctx, req.getSessionId(), req.getModelId(), Session::tfliteModelUnload);
        return Empty.getDefaultInstance();
    }

    TfliteProto.ModelRunResponse tfliteRun(TfliteProto.ModelRunRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Resource model = state.resource(ctx, req.getModelId());
        List<Tensor> in = new ArrayList<>();
        for (TfliteProto.Tensor t : req.getInTensorsList()) {
            long[] dims = t.getDimsList().stream().mapToLong(Integer::longValue).toArray();
            in.add(new Tensor(
                    TensorTypes.fromTflite(t.getTypeValue() - 1),
                    dims,
                    t.getData().toByteArray()));
        }
        List<Tensor> out = s.tfliteModelRun(new TfliteRun(model, in, checkedCount(req.getNrOutTensors())));
        TfliteProto.ModelRunResponse.Builder b = TfliteProto.ModelRunResponse.newBuilder();
        for (Tensor t : out) {
            TfliteProto.Tensor.Builder tb = TfliteProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(TensorTypes.toTflite(t.type()) + 1);
            for (long d : t.dims()) {
                tb.addDims(Math.toIntExact(d));
            }
            b.addOutTensors(tb);
        }
        return b.build();
    }

    Empty torchLoad(TorchProto.ModelLoadRequest req, CallContext ctx) throws TtrpcException {
        withModel(ctx, req.getSessionId(), req.getModelId(), Session::torchModelLoad);
        return Empty.getDefaultInstance();
    }

    TorchProto.ModelRunResponse torchRun(TorchProto.ModelRunRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Resource model = state.resource(ctx, req.getModelId());
        List<Tensor> in = new ArrayList<>();
        for (TorchProto.Tensor t : req.getInTensorsList()) {
            in.add(new Tensor(
                    TensorTypes.fromTorch(t.getTypeValue()),
                    dims(t.getDimsList()),
                    t.getData().toByteArray()));
        }
        List<Tensor> out = s.torchModelRun(new TorchRun(
                model,
                req.hasRunOptions() ? req.getRunOptions().toByteArray() : null,
                in,
                checkedCount(req.getNrOutTensors())));
        TorchProto.ModelRunResponse.Builder b = TorchProto.ModelRunResponse.newBuilder();
        for (Tensor t : out) {
            TorchProto.Tensor.Builder tb = TorchProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(TensorTypes.toTorch(t.type()));
            for (long d : t.dims()) {
                tb.addDims(d);
            }
            b.addOutTensors(tb);
        }
        return b.build();
    }

    /** Runs {@code op} on the caller's session {@code sessionId} with its model {@code modelId}. */
    private void withModel(CallContext ctx, long sessionId, long modelId, BiConsumer<Session, Resource> op)
            throws TtrpcException {
        op.accept(state.session(ctx, sessionId), state.resource(ctx, modelId));
    }

    private static int checkedCount(long n) {
        if (n < 0 || n > 4096) {
            throw new IllegalArgumentException("nr_out_tensors " + Long.toUnsignedString(n) + " out of range 0..4096");
        }
        return (int) n;
    }

    private static long[] dims(List<Long> dims) {
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<Node> nodes(List<TfProto.Node> ns) {
        return ns.stream().map(n -> new Node(n.getName(), n.getId())).toList();
    }
}
