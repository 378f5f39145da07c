package io.jurunc.vaccel;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test plugin that records every call it gets. */
final class RecordingPlugin implements Plugin {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final PluginInfo info;
    private final Set<OpType> ops;
    RuntimeException failInit;

    RecordingPlugin(String name, int type, boolean transport, Set<OpType> ops) {
        this(new PluginInfo(name, "1.0.0", Vaccel.VERSION, type, transport), ops);
    }

    RecordingPlugin(PluginInfo info, Set<OpType> ops) {
        this.info = info;
        this.ops = ops;
    }

    @Override
    public PluginInfo info() {
        return info;
    }

    @Override
    public Set<OpType> ops() {
        return ops;
    }

    @Override
    public void init(PluginContext context) {
        calls.add("init");
        if (failInit != null) {
            throw failInit;
        }
    }

    @Override
    public void fini() {
        calls.add("fini");
    }

    @Override
    public long sessionInit(Session session, int flags) {
        calls.add("sessionInit " + flags);
        return info.transport() ? 100 + session.id() : 0;
    }

    @Override
    public void sessionRelease(Session session) {
        calls.add("sessionRelease " + session.id());
    }

    @Override
    public long resourceRegister(Resource resource, Session session) {
        calls.add("register " + resource.id());
        return info.transport() ? 500 + resource.id() : 0;
    }

    @Override
    public void resourceUnregister(Resource resource, Session session) {
        calls.add("unregister " + resource.id());
    }

    @Override
    public void noop(Session session) {
        calls.add("noop");
    }

    @Override
    public void exec(Session session, ExecCall call) {
        calls.add("exec " + call.library() + " " + call.symbol() + " "
                + call.read().size() + "/" + call.write().size());
        if (!call.write().isEmpty()) {
            call.write()
                    .getFirst()
                    .fill(Arg.int32(call.read().getFirst().asInt32() * 2).buffer());
        }
    }

    @Override
    public void execWithResource(Session session, Resource library, ExecCall call) {
        calls.add("execWithResource " + library.id() + " " + call.symbol());
    }

    @Override
    public ImageResult image(Session session, OpType op, byte[] image, Resource model) {
        calls.add(op.label() + " " + image.length + (model == null ? "" : " model " + model.id()));
        return new ImageResult("tag-" + image.length, "img-" + op.label());
    }

    @Override
    public void sgemm(Session session, Sgemm call) {
        calls.add("sgemm");
        float[] c = call.c();
        for (int i = 0; i < call.m(); i++) {
            for (int j = 0; j < call.n(); j++) {
                float acc = 0;
                for (int p = 0; p < call.k(); p++) {
                    acc += call.a()[(int) (i * call.lda() + p)] * call.b()[(int) (p * call.ldb() + j)];
                }
                c[(int) (i * call.ldc() + j)] = call.alpha() * acc + call.beta() * c[(int) (i * call.ldc() + j)];
            }
        }
    }

    @Override
    public void genop(Session session, List<Arg> read, List<Arg> write) {
        calls.add("genop " + read.size());
    }
}
