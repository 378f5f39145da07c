package io.jurunc.vaccel.agent;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.DataType;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.Node;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.common.ArgCodec;
import io.jurunc.vaccel.rpc.common.Chunker;
import io.jurunc.vaccel.rpc.common.ErrorCodec;
import io.jurunc.vaccel.rpc.proto.GenopProto;
import io.jurunc.vaccel.rpc.proto.ImageProto;
import io.jurunc.vaccel.rpc.proto.TfProto;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** ImageClassification, Genop (plain and chunked) and the generic model (Tensorflow*) methods. */
final class OpMethods {
    /** Largest arg the agent assembles from chunks. */
    static final long MAX_ARG_BYTES = AgentProtocol.MAX_MESSAGE_LENGTH;
    private final AgentState state;

    OpMethods(AgentState state) {
        this.state = state;
    }

    ImageProto.Response classify(ImageProto.Request req, CallContext ctx) throws TtrpcException {
        Session s = state.session(req.getSessionId());
        ImageResult r;
        try (Profiler.Timer t = state.profiler(s.id()).start("image_classify > sess.classify")) {
            r = s.classify(req.getImage().toByteArray());
        }
        return ImageProto.Response.newBuilder().setTags(ByteString.copyFromUtf8(r.tags())).build();
    }

    GenopProto.Response genop(GenopProto.Request req, CallContext ctx) throws TtrpcException {
        Session s = state.session(req.getSessionId());
        ClientState c = state.client(ctx);
        String mode = ctx.metadata().first(AgentProtocol.CHUNKING_KEY).orElse("");
        Profiler prof = state.profiler(s.id());
        switch (mode) {
            case "" -> {
                return runGenop(s, prof, decode(req.getReadArgsList()), decode(req.getWriteArgsList()), false, c);
            }
            case "continue" -> {
                Deque<Chunker.Piece> q = c.outgoing.get(s.id());
                if (q == null || q.isEmpty()) {
                    throw ErrorCodec.invalid("no chunked genop response pending for session " + s.id());
                }
                Chunker.Piece p = q.poll();
                if (q.isEmpty()) {
                    c.outgoing.remove(s.id());
                }
                return GenopProto.Response.newBuilder().addAllWriteArgs(p.write()).build();
            }
            case "more", "last" -> {
                ClientState.Incoming in = c.incoming.computeIfAbsent(s.id(), id -> new ClientState.Incoming(MAX_ARG_BYTES));
                try (Profiler.Timer t = prof.start("genop > read_args")) {
                    for (GenopProto.Arg a : req.getReadArgsList()) {
                        in.read.add(a);
                    }
                    for (GenopProto.Arg a : req.getWriteArgsList()) {
                        in.write.add(a);
                    }
                } catch (RuntimeException e) {
                    c.incoming.remove(s.id());
                    throw e;
                }
                if (mode.equals("more")) {
                    return GenopProto.Response.getDefaultInstance();
                }
                c.incoming.remove(s.id());
                return runGenop(s, prof, in.read.args(), in.write.args(), true, c);
            }
            default -> throw ErrorCodec.invalid("unknown " + AgentProtocol.CHUNKING_KEY + " value '" + mode + "'");
        }
    }

    private static List<Arg> decode(List<GenopProto.Arg> args) {
        List<Arg> out = new ArrayList<>(args.size());
        for (GenopProto.Arg a : args) {
            out.add(ArgCodec.fromProto(a));
        }
        return out;
    }

    private GenopProto.Response runGenop(Session s, Profiler prof, List<Arg> read, List<Arg> write, boolean chunked, ClientState c) {
        try (Profiler.Timer t = prof.start("genop > sess.genop")) {
            s.genop(read, write);
        }
        List<GenopProto.Arg> out = new ArrayList<>(write.size());
        long total = 0;
        try (Profiler.Timer t = prof.start("genop > resp_write_args")) {
            for (Arg a : write) {
                out.add(ArgCodec.toProto(a));
                total += a.size();
            }
        }
        if (chunked && total > AgentProtocol.CHUNK_REQUEST_LIMIT - 4096) {
            Deque<Chunker.Piece> pieces = ClientState.queue(Chunker.splitProto(out, AgentProtocol.CHUNK_REQUEST_LIMIT));
            Chunker.Piece first = pieces.poll();
            if (!pieces.isEmpty()) {
                c.outgoing.put(s.id(), pieces);
            }
            return GenopProto.Response.newBuilder().addAllWriteArgs(first.write()).build();
        }
        return GenopProto.Response.newBuilder().addAllWriteArgs(out).build();
    }

    TfProto.ModelLoadResponse modelLoad(TfProto.ModelLoadRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(req.getSessionId());
        s.modelLoad(state.resource(req.getModelId()));
        return TfProto.ModelLoadResponse.getDefaultInstance();
    }

    TfProto.ModelUnloadResponse modelUnload(TfProto.ModelUnloadRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(req.getSessionId());
        s.modelUnload(state.resource(req.getModelId()));
        return TfProto.ModelUnloadResponse.getDefaultInstance();
    }

    TfProto.ModelRunResponse modelRun(TfProto.ModelRunRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(req.getSessionId());
        Resource model = state.resource(req.getModelId());
        List<Tensor> in = new ArrayList<>();
        for (TfProto.Tensor t : req.getInTensorsList()) {
            in.add(TensorCodec.fromProto(t));
        }
        ModelRun run = new ModelRun(model, req.hasRunOptions() ? req.getRunOptions().toByteArray() : null,
            nodes(req.getInNodesList()), in, nodes(req.getOutNodesList()));
        List<Tensor> out;
        try (Profiler.Timer t = state.profiler(s.id()).start("model_run > sess.model_run")) {
            out = s.modelRun(run);
        }
        TfProto.ModelRunResponse.Builder b = TfProto.ModelRunResponse.newBuilder();
        for (Tensor t : out) {
            b.addOutTensors(TensorCodec.toProto(t));
        }
        return b.build();
    }

    private static List<Node> nodes(List<TfProto.Node> ns) {
        return ns.stream().map(n -> new Node(n.getName(), n.getId())).toList();
    }

    /** Tensors to and from {@code tf.Tensor} (TF_DataType numbering on both sides). */
    static final class TensorCodec {
        private TensorCodec() {
        }

        static TfProto.Tensor toProto(Tensor t) {
            TfProto.Tensor.Builder b = TfProto.Tensor.newBuilder().setData(UnsafeByteOperations.unsafeWrap(t.data())).setTypeValue(t.type().code());
            for (long d : t.dims()) {
                b.addDims(d);
            }
            return b.build();
        }

        static Tensor fromProto(TfProto.Tensor p) {
            long[] dims = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
            return new Tensor(DataType.of(p.getTypeValue()), dims, p.getData().toByteArray());
        }
    }
}
