package io.jurunc.vaccel;

import io.jurunc.vaccel.prof.Profiler;
import io.jurunc.vaccel.prof.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A vAccel session, created by {@link Vaccel#createSession(int)}. Its plugin is chosen once, at creation,
 * from the flags (vAccel's current rules, see {@link PluginSelector}); every op then runs on that plugin,
 * and an op the plugin lacks fails with {@code ENOTSUP}: there is no per-op fallback to another plugin.
 * Thread-safe: ops may run concurrently.
 */
public final class Session implements AutoCloseable {
    private final Vaccel vaccel;
    private final long id;
    private final Plugin plugin;
    private final Profiler profiler;
    private final Map<Long, Resource> resources = new LinkedHashMap<>();
    private volatile int flags;
    private volatile long remoteId;
    private volatile boolean closed;

    Session(Vaccel vaccel, long id, int flags, Plugin plugin) {
        this.vaccel = vaccel;
        this.id = id;
        this.flags = flags;
        this.plugin = plugin;
        this.profiler = new Profiler("vaccel", vaccel.config().profilingEnabled());
    }

    public long id() {
        return id;
    }

    public int flags() {
        return flags;
    }

    public Vaccel vaccel() {
        return vaccel;
    }

    public String pluginName() {
        return plugin.info().name();
    }

    /** True when the session runs on a transport plugin (vAccel's "virtio" session). */
    public boolean isRemote() {
        return plugin.info().transport();
    }

    /** The session id on the remote agent (0 for local sessions). */
    public long remoteId() {
        return remoteId;
    }

    void remoteId(long v) {
        remoteId = v;
    }

    /** This session's own profiling regions (what the agent returns for GetProfiler). */
    public Profiler profiler() {
        return profiler;
    }

    /** Changes the flags; refused ({@code EBUSY}) once resources are registered, as in vAccel. */
    public void update(int newFlags) {
        ensureOpen();
        synchronized (resources) {
            if (!resources.isEmpty()) {
                throw new VaccelException(
                        Errno.EBUSY, "session " + id + " has registered resources; its flags cannot change");
            }
        }
        plugin.sessionUpdate(this, newFlags);
        flags = newFlags;
    }

    // ---- resources ----

    /** Registers a resource; registering it twice only warns. */
    public void register(Resource r) {
        ensureOpen();
        if (r.isClosed()) {
            throw new VaccelException.InvalidArgumentException(r + " is released");
        }
        synchronized (resources) {
            if (resources.containsKey(r.id())) {
                vaccel.log().warn(r + " is already registered with session " + id);
                return;
            }
            r.blobs();
            long remote = plugin.resourceRegister(r, this);
            if (isRemote()) {
                if (remote <= 0) {
                    throw new VaccelException(
                            Errno.EBACKEND, "transport plugin " + pluginName() + " returned no remote id for " + r);
                }
                r.remoteId(remote);
            }
            resources.put(r.id(), r);
            r.addSession(id);
        }
    }

    public void unregister(Resource r) {
        synchronized (resources) {
            if (resources.remove(r.id()) == null) {
                throw new VaccelException(Errno.EPERM, r + " is not registered with session " + id);
            }
            r.removeSession(id);
        }
        plugin.resourceUnregister(r, this);
    }

    public boolean hasResource(Resource r) {
        synchronized (resources) {
            return resources.containsKey(r.id());
        }
    }

    /** The registered resources, in registration order. */
    public List<Resource> resources() {
        synchronized (resources) {
            return List.copyOf(resources.values());
        }
    }

    /** The first registered resource of a type (vAccel's {@code vaccel_session_resource_by_type}). */
    public Optional<Resource> firstResource(ResourceType type) {
        return resources().stream().filter(r -> r.type() == type).findFirst();
    }

    /** Pulls a remote plugin's changes to BUFFER blobs back into the resource. */
    public void sync(Resource r) {
        requireRegistered(r, null);
        List<byte[]> data = plugin.resourceSync(r, this);
        r.replaceBufferData(data);
    }

    // ---- ops ----

    public void noop() {
        run(OpType.NOOP, "vaccel_noop", () -> {
            plugin.noop(this);
            return null;
        });
    }

    public void exec(String library, String symbol, List<Arg> read, List<Arg> write) {
        if (library == null || library.isBlank()) {
            throw new VaccelException.InvalidArgumentException("exec needs a library path");
        }
        ExecCall call = new ExecCall(library, symbol, read, write);
        run(OpType.EXEC, "vaccel_exec_op", () -> {
            plugin.exec(this, call);
            return null;
        });
    }

    public void execWithResource(Resource library, String symbol, List<Arg> read, List<Arg> write) {
        requireRegistered(library, ResourceType.LIB);
        ExecCall call = new ExecCall(null, symbol, read, write);
        run(OpType.EXEC_WITH_RESOURCE, "vaccel_exec_with_resource_op", () -> {
            plugin.execWithResource(this, library, call);
            return null;
        });
    }

    public ImageResult classify(byte[] image) {
        return image(OpType.IMAGE_CLASSIFY, image);
    }

    public String detect(byte[] image) {
        return image(OpType.IMAGE_DETECT, image).imgname();
    }

    public String segment(byte[] image) {
        return image(OpType.IMAGE_SEGMENT, image).imgname();
    }

    public String pose(byte[] image) {
        return image(OpType.IMAGE_POSE, image).imgname();
    }

    public String depth(byte[] image) {
        return image(OpType.IMAGE_DEPTH, image).imgname();
    }

    /** Any of the five image ops on encoded image bytes (PNG, JPEG, ...). */
    public ImageResult image(OpType op, byte[] image) {
        if (!op.isImageOp()) {
            throw new VaccelException.InvalidArgumentException(op + " is not an image op");
        }
        if (image == null || image.length == 0) {
            throw new VaccelException.InvalidArgumentException(op.label() + " needs image bytes");
        }
        Resource model = firstResource(ResourceType.MODEL).orElse(null);
        return run(op, "vaccel_image_op", () -> plugin.image(this, op, image, model));
    }

    /** {@code C = alpha·A·B + beta·C}; {@code call.c()} is updated in place. */
    public void sgemm(Sgemm call) {
        run(OpType.BLAS_SGEMM, "vaccel_blas_op", () -> {
            plugin.sgemm(this, call);
            return null;
        });
    }

    /** Generic model load (vAccel's tf model load layout), e.g. an ONNX model with the onnx plugin. */
    public void modelLoad(Resource model) {
        requireRegistered(model, ResourceType.MODEL);
        run(OpType.TF_MODEL_LOAD, "vaccel_tf_model_load_op", () -> {
            plugin.modelLoad(this, model);
            return null;
        });
    }

    public void modelUnload(Resource model) {
        requireRegistered(model, ResourceType.MODEL);
        run(OpType.TF_MODEL_UNLOAD, "vaccel_tf_model_unload_op", () -> {
            plugin.modelUnload(this, model);
            return null;
        });
    }

    /** Runs a loaded model: tensors in, tensors out. */
    public List<Tensor> modelRun(ModelRun run) {
        requireRegistered(run.model(), ResourceType.MODEL);
        return run(OpType.TF_MODEL_RUN, "vaccel_tf_model_run_op", () -> plugin.modelRun(this, run));
    }

    public void tfliteModelLoad(Resource model) {
        requireRegistered(model, ResourceType.MODEL);
        run(OpType.TFLITE_MODEL_LOAD, "vaccel_tflite_model_load_op", () -> {
            plugin.tfliteModelLoad(this, model);
            return null;
        });
    }

    public void tfliteModelUnload(Resource model) {
        requireRegistered(model, ResourceType.MODEL);
        run(OpType.TFLITE_MODEL_UNLOAD, "vaccel_tflite_model_unload_op", () -> {
            plugin.tfliteModelUnload(this, model);
            return null;
        });
    }

    public List<Tensor> tfliteModelRun(TfliteRun run) {
        requireRegistered(run.model(), ResourceType.MODEL);
        return run(OpType.TFLITE_MODEL_RUN, "vaccel_tflite_model_run_op", () -> plugin.tfliteModelRun(this, run));
    }

    public void torchModelLoad(Resource model) {
        requireRegistered(model, ResourceType.MODEL);
        run(OpType.TORCH_MODEL_LOAD, "vaccel_torch_model_load_op", () -> {
            plugin.torchModelLoad(this, model);
            return null;
        });
    }

    public List<Tensor> torchModelRun(TorchRun run) {
        requireRegistered(run.model(), ResourceType.MODEL);
        return run(OpType.TORCH_MODEL_RUN, "vaccel_torch_model_run_op", () -> plugin.torchModelRun(this, run));
    }

    /** {@code out = A·B + C} (M×N). */
    public Tensor torchSgemm(TorchSgemm call) {
        return run(OpType.TORCH_SGEMM, "vaccel_torch_sgemm_op", () -> plugin.torchSgemm(this, call));
    }

    /** Writes {@code call.out()}; returns min and max. */
    public MinMax.Result minmax(MinMax call) {
        return run(OpType.MINMAX, "vaccel_minmax_op", () -> plugin.minmax(this, call));
    }

    /** Copies {@code a} through the FPGA op; returns the copy. */
    public int[] fpgaArraycopy(int[] a) {
        Arg out = Arg.output(ArgType.INT32_ARRAY, a.length * 4);
        fpga(OpType.FPGA_ARRAYCOPY, List.of(Arg.int32Array(a)), List.of(out));
        return out.asInt32Array();
    }

    /** Matrix multiply on the FPGA; {@code c} is written. */
    public void fpgaMmult(float[] a, float[] b, float[] c) {
        Arg out = Arg.output(ArgType.FLOAT32_ARRAY, c.length * 4);
        fpga(OpType.FPGA_MMULT, List.of(Arg.float32Array(a), Arg.float32Array(b)), List.of(out));
        System.arraycopy(out.asFloat32Array(), 0, c, 0, c.length);
    }

    /** Element-wise add and multiply on the FPGA; {@code add} and {@code mult} are written. */
    public void fpgaParallel(float[] a, float[] b, float[] add, float[] mult) {
        Arg outAdd = Arg.output(ArgType.FLOAT32_ARRAY, add.length * 4);
        Arg outMult = Arg.output(ArgType.FLOAT32_ARRAY, mult.length * 4);
        fpga(OpType.FPGA_PARALLEL, List.of(Arg.float32Array(a), Arg.float32Array(b)), List.of(outAdd, outMult));
        System.arraycopy(outAdd.asFloat32Array(), 0, add, 0, add.length);
        System.arraycopy(outMult.asFloat32Array(), 0, mult, 0, mult.length);
    }

    /** Vector add on the FPGA; {@code c} is written. */
    public void fpgaVadd(float[] a, float[] b, float[] c) {
        Arg out = Arg.output(ArgType.FLOAT32_ARRAY, c.length * 4);
        fpga(OpType.FPGA_VECTORADD, List.of(Arg.float32Array(a), Arg.float32Array(b)), List.of(out));
        System.arraycopy(out.asFloat32Array(), 0, c, 0, c.length);
    }

    /** An FPGA op on its genop arg layout (see {@link Plugin#fpga}). */
    public void fpga(OpType op, List<Arg> read, List<Arg> write) {
        if (op != OpType.FPGA_ARRAYCOPY
                && op != OpType.FPGA_MMULT
                && op != OpType.FPGA_PARALLEL
                && op != OpType.FPGA_VECTORADD) {
            throw new VaccelException.InvalidArgumentException(op + " is not an FPGA op");
        }
        FpgaLayout.check(op, read, write);
        run(op, "vaccel_fpga_op", () -> {
            plugin.fpga(this, op, read, write);
            return null;
        });
    }

    /** vAccel's opencv op: args as given. */
    public void opencv(List<Arg> read, List<Arg> write) {
        run(OpType.OPENCV, "vaccel_opencv_op", () -> {
            plugin.opencv(this, read, write);
            return null;
        });
    }

    /**
     * vAccel's generic op: {@code read[0]} is the UINT8 op type, the rest is the op's layout. Local sessions
     * unpack it into the typed op (so checks and profiling apply); remote sessions forward it as it is.
     */
    public void genop(List<Arg> read, List<Arg> write) {
        ensureOpen();
        if (isRemote()) {
            try (Profiler.Timer t = profiler.start("vaccel_genop_op");
                    Profiler.Timer g = vaccel.profiler().start("vaccel_genop_op")) {
                plugin.genop(this, read, write);
            }
            return;
        }
        GenopUnpacker.dispatch(this, read, write);
    }

    /**
     * This session's profile: its own regions plus, for a remote session, the agent's regions prefixed
     * with the agent's component name (fetched over GetProfiler).
     */
    public Map<String, List<Sample>> profile() {
        Map<String, List<Sample>> out = new LinkedHashMap<>(profiler.snapshot());
        plugin.remoteProfile(this)
                .forEach((component, regions) ->
                        regions.forEach((name, samples) -> out.put("[" + component + "] " + name, samples)));
        return out;
    }

    private <T> T run(OpType op, String region, Supplier<T> body) {
        ensureOpen();
        vaccel.log().debug(() -> "session:" + id + " Looking for func implementing op " + op.label());
        if (!plugin.ops().contains(op)) {
            throw new VaccelException.UnsupportedOpException(
                    "plugin " + pluginName() + " of session " + id + " does not implement " + op.label());
        }
        try (Profiler.Timer t = profiler.start(region);
                Profiler.Timer g = vaccel.profiler().start(region)) {
            return body.get();
        } catch (VaccelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new VaccelException.BackendException(
                    Errno.EBACKEND, "plugin " + pluginName() + " failed in " + op.label() + ": " + e, e);
        }
    }

    private void requireRegistered(Resource r, ResourceType type) {
        ensureOpen();
        if (r == null) {
            throw new VaccelException.InvalidArgumentException("resource must be set");
        }
        if (type != null && r.type() != type) {
            throw new VaccelException.InvalidArgumentException(r + " is " + r.type() + ", this op needs " + type);
        }
        if (!hasResource(r)) {
            throw new VaccelException(Errno.EPERM, r + " is not registered with session " + id);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new VaccelException(Errno.ESESS, "session " + id + " is released");
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Releases the session: unregisters its resources, lets the plugin release it, returns the id. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        RuntimeException failure = null;
        List<Resource> registered;
        synchronized (resources) {
            registered = new ArrayList<>(resources.values());
            resources.clear();
        }
        for (Resource r : registered.reversed()) {
            r.removeSession(id);
            try {
                plugin.resourceUnregister(r, this);
            } catch (RuntimeException e) {
                failure = keep(failure, e);
            }
        }
        try {
            plugin.sessionRelease(this);
        } catch (RuntimeException e) {
            failure = keep(failure, e);
        }
        vaccel.forgetSession(this);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public String toString() {
        return "Session[" + id + ", plugin=" + pluginName() + (remoteId > 0 ? ", remote=" + remoteId : "") + "]";
    }
}
