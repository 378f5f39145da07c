package io.jurunc.vaccel.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.Blob;
import io.jurunc.vaccel.DataType;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.MinMax;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.PluginContext;
import io.jurunc.vaccel.PluginInfo;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Sgemm;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.TensorTypes;
import io.jurunc.vaccel.TfliteRun;
import io.jurunc.vaccel.TorchRun;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.genop.GenopPacker;
import io.jurunc.vaccel.genop.Packed;
import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.prof.Sample;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.proto.ImageProto;
import io.jurunc.vaccel.rpc.proto.ProfilingProto;
import io.jurunc.vaccel.rpc.proto.ResourceProto;
import io.jurunc.vaccel.rpc.proto.SessionProto;
import io.jurunc.vaccel.rpc.proto.TfProto;
import io.jurunc.vaccel.rpc.proto.TfliteProto;
import io.jurunc.vaccel.rpc.proto.TorchProto;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * vAccel's rpc transport plugin: every session is a session on the agent ({@code VACCEL_RPC_ADDRESS}).
 * Classify uses ImageClassification; the model ops use the Tensorflow*, TensorflowLite* and Torch*
 * methods; exec, exec_with_resource, detect/segment/pose/depth, sgemm, minmax, the FPGA ops, opencv and
 * raw genops are packed as genops. noop completes here, as vAccel's rpc plugin does (vAccel's agent
 * refuses a genop of op 0). torch sgemm has no RPC and is {@code ENOTSUP}. Local files of a resource are
 * sent as blobs; a resource already on the agent is re-registered by id.
 */
public final class RpcPlugin implements Plugin {
    private static final PluginInfo INFO = new PluginInfo("rpc", "0.1.0", Vaccel.VERSION, PluginType.REMOTE, true);
    private static final Set<OpType> OPS = EnumSet.complementOf(EnumSet.of(OpType.TORCH_SGEMM));

    private final Map<Long, Object> sessionLocks = new ConcurrentHashMap<>();
    private volatile AgentClient client;

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public Set<OpType> ops() {
        return OPS;
    }

    @Override
    public void init(PluginContext context) {
        RpcSettings s = RpcSettings.from(context.config());
        s.warnings().forEach(context.log()::warn);
        client = new AgentClient(s.address(), s.messageLimit());
        context.log().debug(() -> "[rpc] agent address " + s.address());
    }

    @Override
    public void fini() {
        AgentClient c = client;
        if (c != null) {
            c.close();
        }
    }

    private static <T> T timed(Session s, String region, Supplier<T> body) {
        Profiler p = s.profiler();
        // the region's name is built only when profiling is on (it was concatenated for every op)
        try (Profiler.Timer t = p.start(p.enabled() ? "[" + AgentProtocol.CLIENT_COMPONENT + "] " + region : region)) {
            return body.get();
        }
    }

    @Override
    public long sessionInit(Session session, int flags) {
        SessionProto.CreateResponse r = client.call(
                AgentProtocol.CREATE_SESSION,
                SessionProto.CreateRequest.newBuilder()
                        .setFlags(flags & ~PluginType.REMOTE)
                        .build(),
                SessionProto.CreateResponse.parser());
        return r.getSessionId();
    }

    @Override
    public void sessionUpdate(Session session, int flags) {
        client.call(
                AgentProtocol.UPDATE_SESSION,
                SessionProto.UpdateRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setFlags(flags & ~PluginType.REMOTE)
                        .build(),
                Empty.parser());
    }

    @Override
    public void sessionRelease(Session session) {
        sessionLocks.remove(session.id());
        client.call(
                AgentProtocol.DESTROY_SESSION,
                SessionProto.DestroyRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .build(),
                Empty.parser());
    }

    @Override
    public long resourceRegister(Resource resource, Session session) {
        ResourceProto.RegisterRequest.Builder req = ResourceProto.RegisterRequest.newBuilder()
                .setSessionId(session.remoteId())
                .setResourceTypeValue(resource.type().ordinal());
        if (resource.remoteId() > 0) {
            req.setResourceId(resource.remoteId());
        } else {
            for (Blob b : resource.blobs()) {
                Blob loaded = b.withData();
                req.addBlobs(ResourceProto.Blob.newBuilder()
                        .setTypeValue(b.type().ordinal())
                        .setName(b.name())
                        .setData(UnsafeByteOperations.unsafeWrap(loaded.data()))
                        .setSize(loaded.data().length));
            }
        }
        return timed(
                session,
                "resource_register",
                () -> client.call(AgentProtocol.REGISTER_RESOURCE, req.build(), ResourceProto.RegisterResponse.parser())
                        .getResourceId());
    }

    @Override
    public void resourceUnregister(Resource resource, Session session) {
        client.call(
                AgentProtocol.UNREGISTER_RESOURCE,
                ResourceProto.UnregisterRequest.newBuilder()
                        .setResourceId(resource.remoteId())
                        .setSessionId(session.remoteId())
                        .build(),
                Empty.parser());
    }

    @Override
    public List<byte[]> resourceSync(Resource resource, Session session) {
        ResourceProto.SyncResponse r = client.call(
                AgentProtocol.SYNC_RESOURCE,
                ResourceProto.SyncRequest.newBuilder()
                        .setResourceId(resource.remoteId())
                        .build(),
                ResourceProto.SyncResponse.parser());
        return r.getBlobsList().stream().map(b -> b.getData().toByteArray()).toList();
    }

    private void genop(Session session, Packed p) {
        Object lock = sessionLocks.computeIfAbsent(session.id(), id -> new Object());
        timed(session, "genop > client.genop", () -> {
            synchronized (lock) {
                RemoteGenop.run(client, session.remoteId(), p.read(), p.write());
            }
            return null;
        });
    }

    @Override
    public void genop(Session session, List<Arg> read, List<Arg> write) {
        genop(session, new Packed(read, write));
    }

    @Override
    public void noop(Session session) {
        // completed locally: vAccel's agent answers a genop of op 0 with EINVAL
    }

    @Override
    public void exec(Session session, ExecCall call) {
        genop(session, GenopPacker.exec(call));
    }

    @Override
    public void execWithResource(Session session, Resource library, ExecCall call) {
        genop(session, GenopPacker.execWithResource(library.remoteId(), call));
    }

    @Override
    public ImageResult image(Session session, OpType op, byte[] image, Resource model) {
        if (op == OpType.IMAGE_CLASSIFY) {
            ImageProto.Response r = timed(
                    session,
                    "image_classify > client.classify",
                    () -> client.call(
                            AgentProtocol.IMAGE_CLASSIFICATION,
                            ImageProto.Request.newBuilder()
                                    .setSessionId(session.remoteId())
                                    .setImage(UnsafeByteOperations.unsafeWrap(image))
                                    .build(),
                            ImageProto.Response.parser()));
            return new ImageResult(untilNul(r.getTags()), "");
        }
        Packed p = GenopPacker.image(op, image);
        genop(session, p);
        return new ImageResult("", p.write().getFirst().asString());
    }

    @Override
    public void sgemm(Session session, Sgemm call) {
        Packed p = GenopPacker.sgemm(call);
        genop(session, p);
        GenopPacker.sgemmResult(p, call.c());
    }

    @Override
    public void modelLoad(Session session, Resource model) {
        client.call(
                AgentProtocol.TF_MODEL_LOAD,
                TfProto.ModelLoadRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setModelId(model.remoteId())
                        .build(),
                TfProto.ModelLoadResponse.parser());
    }

    @Override
    public void modelUnload(Session session, Resource model) {
        client.call(
                AgentProtocol.TF_MODEL_UNLOAD,
                TfProto.ModelUnloadRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setModelId(model.remoteId())
                        .build(),
                TfProto.ModelUnloadResponse.parser());
    }

    @Override
    public List<Tensor> modelRun(Session session, ModelRun run) {
        TfProto.ModelRunRequest.Builder req = TfProto.ModelRunRequest.newBuilder()
                .setSessionId(session.remoteId())
                .setModelId(run.model().remoteId());
        if (run.runOptions() != null) {
            req.setRunOptions(ByteString.copyFrom(run.runOptions()));
        }
        for (Node n : run.inNodes()) {
            req.addInNodes(TfProto.Node.newBuilder().setName(n.name()).setId(n.id()));
        }
        for (Node n : run.outNodes()) {
            req.addOutNodes(TfProto.Node.newBuilder().setName(n.name()).setId(n.id()));
        }
        for (Tensor t : run.inTensors()) {
            TfProto.Tensor.Builder tb = TfProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(t.type().code());
            for (long d : t.dims()) {
                tb.addDims(d);
            }
            req.addInTensors(tb);
        }
        TfProto.ModelRunResponse r = timed(
                session,
                "model_run > client.model_run",
                () -> client.call(AgentProtocol.TF_MODEL_RUN, req.build(), TfProto.ModelRunResponse.parser()));
        List<Tensor> out = new ArrayList<>();
        for (TfProto.Tensor t : r.getOutTensorsList()) {
            out.add(new Tensor(
                    DataType.of(t.getTypeValue()),
                    t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
                    t.getData().toByteArray()));
        }
        return out;
    }

    /** The text of a zero-padded buffer (vAccel's agent answers 1024 bytes). */
    private static String untilNul(ByteString b) {
        int n = 0;
        while (n < b.size() && b.byteAt(n) != 0) {
            n++;
        }
        return b.substring(0, n).toStringUtf8();
    }

    @Override
    public void tfliteModelLoad(Session session, Resource model) {
        client.call(
                AgentProtocol.TFLITE_MODEL_LOAD,
                TfliteProto.ModelLoadRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setModelId(model.remoteId())
                        .build(),
                Empty.parser());
    }

    @Override
    public void tfliteModelUnload(Session session, Resource model) {
        client.call(
                AgentProtocol.TFLITE_MODEL_UNLOAD,
                TfliteProto.ModelUnloadRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setModelId(model.remoteId())
                        .build(),
                Empty.parser());
    }

    @Override
    public List<Tensor> tfliteModelRun(Session session, TfliteRun run) {
        TfliteProto.ModelRunRequest.Builder req = TfliteProto.ModelRunRequest.newBuilder()
                .setSessionId(session.remoteId())
                .setModelId(run.model().remoteId())
                .setNrOutTensors(run.nrOutTensors());
        for (Tensor t : run.inTensors()) {
            TfliteProto.Tensor.Builder tb = TfliteProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(TensorTypes.toTflite(t.type()) + 1);
            for (long d : t.dims()) {
                tb.addDims(Math.toIntExact(d));
            }
            req.addInTensors(tb);
        }
        TfliteProto.ModelRunResponse r = timed(
                session,
                "tflite_model_run > client.model_run",
                () -> client.call(AgentProtocol.TFLITE_MODEL_RUN, req.build(), TfliteProto.ModelRunResponse.parser()));
        List<Tensor> out = new ArrayList<>();
        for (TfliteProto.Tensor t : r.getOutTensorsList()) {
            out.add(new Tensor(
                    TensorTypes.fromTflite(t.getTypeValue() - 1),
                    t.getDimsList().stream().mapToLong(Integer::longValue).toArray(),
                    t.getData().toByteArray()));
        }
        return out;
    }

    @Override
    public void torchModelLoad(Session session, Resource model) {
        client.call(
                AgentProtocol.TORCH_MODEL_LOAD,
                TorchProto.ModelLoadRequest.newBuilder()
                        .setSessionId(session.remoteId())
                        .setModelId(model.remoteId())
                        .build(),
                Empty.parser());
    }

    @Override
    public List<Tensor> torchModelRun(Session session, TorchRun run) {
        TorchProto.ModelRunRequest.Builder req = TorchProto.ModelRunRequest.newBuilder()
                .setSessionId(session.remoteId())
                .setModelId(run.model().remoteId())
                .setNrOutTensors(run.nrOutTensors());
        if (run.runOptions() != null) {
            req.setRunOptions(ByteString.copyFrom(run.runOptions()));
        }
        for (Tensor t : run.inTensors()) {
            TorchProto.Tensor.Builder tb = TorchProto.Tensor.newBuilder()
                    .setData(UnsafeByteOperations.unsafeWrap(t.data()))
                    .setTypeValue(TensorTypes.toTorch(t.type()));
            for (long d : t.dims()) {
                tb.addDims(d);
            }
            req.addInTensors(tb);
        }
        TorchProto.ModelRunResponse r = timed(
                session,
                "torch_model_run > client.model_run",
                () -> client.call(AgentProtocol.TORCH_MODEL_RUN, req.build(), TorchProto.ModelRunResponse.parser()));
        List<Tensor> out = new ArrayList<>();
        for (TorchProto.Tensor t : r.getOutTensorsList()) {
            out.add(new Tensor(
                    TensorTypes.fromTorch(t.getTypeValue()),
                    t.getDimsList().stream().mapToLong(Long::longValue).toArray(),
                    t.getData().toByteArray()));
        }
        return out;
    }

    @Override
    public MinMax.Result minmax(Session session, MinMax call) {
        Packed p = GenopPacker.minmax(call);
        genop(session, p);
        return GenopPacker.minmaxResult(p, call);
    }

    @Override
    public void fpga(Session session, OpType op, List<Arg> read, List<Arg> write) {
        genop(session, GenopPacker.generic(op, read, write));
    }

    @Override
    public void opencv(Session session, List<Arg> read, List<Arg> write) {
        genop(session, GenopPacker.generic(OpType.OPENCV, read, write));
    }

    @Override
    public Map<String, Map<String, List<Sample>>> remoteProfile(Session session) {
        ProfilingProto.Response r = client.call(
                AgentProtocol.GET_PROFILER,
                ProfilingProto.Request.newBuilder()
                        .setSessionId(session.remoteId())
                        .build(),
                ProfilingProto.Response.parser());
        Map<String, List<Sample>> regions = new LinkedHashMap<>();
        r.getProfiler()
                .getRegionsMap()
                .forEach((name, region) -> regions.put(
                        name,
                        region.getSamplesList().stream()
                                .map(s -> new Sample(s.getStart(), s.getTime()))
                                .toList()));
        return regions.isEmpty() ? Map.of() : Map.of(r.getProfiler().getComponentName(), regions);
    }
}
