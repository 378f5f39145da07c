package io.jurunc.vaccel;

import io.jurunc.vaccel.prof.Sample;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vAccel plugin, found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.jurunc.vaccel.Plugin}).
 * The constructor must be cheap: the core instantiates every provider to read its name; real set-up
 * belongs in {@link #init(PluginContext)}, which runs only for plugins named in {@code VACCEL_PLUGINS}.
 *
 * <p>A plugin lists the ops it implements in {@link #ops()}; the core refuses any other op with
 * {@code ENOTSUP} before calling it. Op methods get arguments already validated by the core (types,
 * resource type, registration with the session).
 */
public interface Plugin {
    PluginInfo info();

    /** The ops this plugin implements. */
    Set<OpType> ops();

    default void init(PluginContext context) {}

    default void fini() {}

    /** Session created; a transport returns the remote session id (must be &gt; 0), others return 0. */
    default long sessionInit(Session session, int flags) {
        return 0;
    }

    default void sessionUpdate(Session session, int flags) {}

    default void sessionRelease(Session session) {}

    /** Resource registered with a session; a transport returns the remote resource id (must be &gt; 0). */
    default long resourceRegister(Resource resource, Session session) {
        return 0;
    }

    default void resourceUnregister(Resource resource, Session session) {}

    /** Pulls remote changes of BUFFER blobs back; returns the blobs' new data, in order. */
    default List<byte[]> resourceSync(Resource resource, Session session) {
        throw unsupported("resource sync");
    }

    default void noop(Session session) {
        throw unsupported(OpType.NOOP.label());
    }

    default void exec(Session session, ExecCall call) {
        throw unsupported(OpType.EXEC.label());
    }

    default void execWithResource(Session session, Resource library, ExecCall call) {
        throw unsupported(OpType.EXEC_WITH_RESOURCE.label());
    }

    /** One of the five image ops; {@code model} is the session's first MODEL resource, or null. */
    default ImageResult image(Session session, OpType op, byte[] image, Resource model) {
        throw unsupported(op.label());
    }

    default void sgemm(Session session, Sgemm call) {
        throw unsupported(OpType.BLAS_SGEMM.label());
    }

    default void modelLoad(Session session, Resource model) {
        throw unsupported(OpType.TF_MODEL_LOAD.label());
    }

    default void modelUnload(Session session, Resource model) {
        throw unsupported(OpType.TF_MODEL_UNLOAD.label());
    }

    default List<Tensor> modelRun(Session session, ModelRun run) {
        throw unsupported(OpType.TF_MODEL_RUN.label());
    }

    default void tfliteModelLoad(Session session, Resource model) {
        throw unsupported(OpType.TFLITE_MODEL_LOAD.label());
    }

    default void tfliteModelUnload(Session session, Resource model) {
        throw unsupported(OpType.TFLITE_MODEL_UNLOAD.label());
    }

    default List<Tensor> tfliteModelRun(Session session, TfliteRun run) {
        throw unsupported(OpType.TFLITE_MODEL_RUN.label());
    }

    default void torchModelLoad(Session session, Resource model) {
        throw unsupported(OpType.TORCH_MODEL_LOAD.label());
    }

    default List<Tensor> torchModelRun(Session session, TorchRun run) {
        throw unsupported(OpType.TORCH_MODEL_RUN.label());
    }

    /** Returns {@code out = A·B + C}. */
    default Tensor torchSgemm(Session session, TorchSgemm call) {
        throw unsupported(OpType.TORCH_SGEMM.label());
    }

    /** Writes {@code call.out()} and returns min and max. */
    default MinMax.Result minmax(Session session, MinMax call) {
        throw unsupported(OpType.MINMAX.label());
    }

    /**
     * One of the four FPGA ops with vAccel's genop arg layout (without the leading op type): arraycopy
     * INT32_ARRAY → INT32_ARRAY; mmult a, b → c; parallel a, b → add, mult; vadd a, b → c (FLOAT32_ARRAY).
     * The plugin fills the write args.
     */
    default void fpga(Session session, OpType op, List<Arg> read, List<Arg> write) {
        throw unsupported(op.label());
    }

    /** vAccel's opencv op: the arg lists as the caller gave them (vAccel defines no layout). */
    default void opencv(Session session, List<Arg> read, List<Arg> write) {
        throw unsupported(OpType.OPENCV.label());
    }

    /**
     * Raw genop, for transport plugins only: forwards the packed arguments as they are. Local plugins
     * never see genop; the core unpacks it into the typed op.
     */
    default void genop(Session session, List<Arg> read, List<Arg> write) {
        throw unsupported("genop");
    }

    /** A transport's remote profiling regions for the session (component name → regions). */
    default Map<String, Map<String, List<Sample>>> remoteProfile(Session session) {
        return Map.of();
    }

    private VaccelException unsupported(String what) {
        return new VaccelException.UnsupportedOpException("plugin " + info().name() + " does not implement " + what);
    }
}
