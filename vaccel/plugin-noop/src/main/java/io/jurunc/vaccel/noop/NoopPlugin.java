package io.jurunc.vaccel.noop;

import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ExecCall;
import io.jurunc.vaccel.ImageResult;
import io.jurunc.vaccel.MinMax;
import io.jurunc.vaccel.ModelRun;
import io.jurunc.vaccel.OpType;
import io.jurunc.vaccel.Plugin;
import io.jurunc.vaccel.PluginContext;
import io.jurunc.vaccel.PluginInfo;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Sgemm;
import io.jurunc.vaccel.Tensor;
import io.jurunc.vaccel.TfliteRun;
import io.jurunc.vaccel.TorchRun;
import io.jurunc.vaccel.TorchSgemm;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelLog;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * vAccel's debug plugin: logs every op with its arguments ({@code [noop] ...} at DEBUG) and returns
 * vAccel's dummy answers. exec copies its single input to its single output when the sizes match
 * (a multiple of sizeof(int)); a model run echoes input tensors as outputs.
 */
public final class NoopPlugin implements Plugin {
    public static final String DUMMY_TAGS = "This is a dummy classification tag!";
    public static final String DUMMY_IMGNAME = "This is a dummy imgname!";
    private static final PluginInfo INFO = new PluginInfo("noop", "0.1.0", Vaccel.VERSION, PluginType.DEBUG, false);
    /** Like vAccel's noop plugin: every op. */
    private static final Set<OpType> OPS = EnumSet.allOf(OpType.class);

    private volatile VaccelLog log;

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
        log = context.log();
    }

    /** Logs {@code Calling OP for session ID[: DETAIL]}, as vAccel's noop plugin does. */
    private void calling(String op, Session session, Object detail) {
        VaccelLog l = log;
        if (l != null) {
            String d = detail.toString();
            l.debug(() -> "[noop] Calling " + op + " for session " + session.id() + (d.isEmpty() ? "" : ": " + d));
        }
    }

    @Override
    public void noop(Session session) {
        calling("no-op", session, "");
    }

    @Override
    public void exec(Session session, ExecCall call) {
        calling("exec", session, "library " + call.library() + " symbol " + call.symbol() + args(call));
        echo(call);
    }

    @Override
    public void execWithResource(Session session, Resource library, ExecCall call) {
        calling("exec_with_resource", session, library + " symbol " + call.symbol() + args(call));
        echo(call);
    }

    private static String args(ExecCall call) {
        return " nr_read " + call.read().size() + " nr_write " + call.write().size();
    }

    private static void echo(ExecCall call) {
        if (call.read().isEmpty() || call.write().size() != 1) {
            return;
        }
        Arg in = call.read().getFirst();
        Arg out = call.write().getFirst();
        if (in.size() == out.size() && in.size() % Integer.BYTES == 0) {
            out.fill(in.buffer());
        }
    }

    @Override
    public ImageResult image(Session session, OpType op, byte[] image, Resource model) {
        calling(
                op.label(),
                session,
                "image " + image.length + " bytes"
                        + (model == null
                                ? ""
                                : ", model " + model.blobs().getLast().name()));
        return new ImageResult(op == OpType.IMAGE_CLASSIFY ? DUMMY_TAGS : "", DUMMY_IMGNAME);
    }

    @Override
    public void sgemm(Session session, Sgemm call) {
        calling("sgemm", session, "m " + call.m() + " n " + call.n() + " k " + call.k());
    }

    @Override
    public void modelLoad(Session session, Resource model) {
        calling("model load", session, model);
    }

    @Override
    public void modelUnload(Session session, Resource model) {
        calling("model unload", session, model);
    }

    @Override
    public List<Tensor> modelRun(Session session, ModelRun run) {
        calling("model run", session, run.inTensors().size() + " inputs");
        return echo(
                run.inTensors(),
                run.outNodes().isEmpty()
                        ? run.inTensors().size()
                        : run.outNodes().size());
    }

    @Override
    public void tfliteModelLoad(Session session, Resource model) {
        calling("tflite model load", session, model);
    }

    @Override
    public void tfliteModelUnload(Session session, Resource model) {
        calling("tflite model unload", session, model);
    }

    @Override
    public List<Tensor> tfliteModelRun(Session session, TfliteRun run) {
        calling("tflite model run", session, run.inTensors().size() + " inputs");
        return echo(run.inTensors(), run.nrOutTensors());
    }

    @Override
    public void torchModelLoad(Session session, Resource model) {
        calling("torch model load", session, model);
    }

    @Override
    public List<Tensor> torchModelRun(Session session, TorchRun run) {
        calling("torch model run", session, run.inTensors().size() + " inputs");
        return echo(run.inTensors(), run.nrOutTensors());
    }

    /** Echoes input tensors as the outputs asked for (the last input repeats). */
    private static List<Tensor> echo(List<Tensor> in, int outs) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < outs; i++) {
            out.add(in.get(Math.min(i, in.size() - 1)));
        }
        return out;
    }

    @Override
    public Tensor torchSgemm(Session session, TorchSgemm call) {
        calling("torch sgemm", session, "M " + call.m() + " N " + call.n() + " K " + call.k());
        return call.c();
    }

    @Override
    public MinMax.Result minmax(Session session, MinMax call) {
        calling(
                "minmax",
                session,
                "ndata " + call.in().length + " low " + call.lowThreshold() + " high " + call.highThreshold());
        return new MinMax.Result(0, 0);
    }

    @Override
    public void fpga(Session session, OpType op, List<Arg> read, List<Arg> write) {
        calling(op.label(), session, "nr_read " + read.size() + " nr_write " + write.size());
    }

    @Override
    public void opencv(Session session, List<Arg> read, List<Arg> write) {
        calling("opencv", session, "nr_read " + read.size() + " nr_write " + write.size());
    }
}
