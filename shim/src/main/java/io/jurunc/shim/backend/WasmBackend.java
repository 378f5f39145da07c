package io.jurunc.shim.backend;

import io.jurunc.oci.Json;
import io.jurunc.oci.SpecException;
import io.jurunc.wasm.CompiledModule;
import io.jurunc.wasm.ModuleBytes;
import io.jurunc.wasm.ModuleCache;
import io.jurunc.wasm.WasmConfig;
import io.jurunc.wasm.WasmException;
import io.jurunc.wasm.WasmInstance;
import io.jurunc.wasm.WasmSelection;
import io.jurunc.wasm.WasmStdio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * WASM containers inside the daemon's JVM (runwasi's model, docs/wasm.md): an instance per container on its
 * own thread, no process at all, so a container's pid is the daemon's. Modules are compiled once per digest
 * ({@link ModuleCache}). The exit reaches the task service through a {@link Process} view of the instance.
 */
public final class WasmBackend implements ContainerBackend {
    static final int CACHE_ENTRIES = 32;
    private final ModuleCache cache = new ModuleCache(CACHE_ENTRIES);
    private final Map<String, WasmInstance> instances = new ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final long pid = ProcessHandle.current().pid();

    public WasmBackend(Consumer<String> log) {
        this.log = log;
    }

    /** WASM by crun's annotations or jurunc's metadata (annotations or the rootfs' urunc.json). */
    public static BackendSelector.Classifier classifier() {
        return bundle -> {
            if (!WasmSelection.mightSelect(bundle)) {
                return false;
            }
            try {
                io.jurunc.oci.Spec spec = Json.loadSpec(bundle);
                String root = spec.root() == null || spec.root().path() == null
                        ? "rootfs"
                        : spec.root().path();
                return WasmSelection.selects(spec.annotations(), bundle.resolve(root));
            } catch (SpecException | WasmException e) {
                throw new BackendException(BackendException.Kind.FAILED, e.getMessage(), e);
            }
        };
    }

    public ModuleCache cache() {
        return cache;
    }

    @Override
    public String name() {
        return "wasm";
    }

    @Override
    public Created create(CreateSpec spec) throws BackendException {
        if (spec.terminal()) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED,
                    "terminal (tty) tasks are not supported for WASM containers yet; run without -t");
        }
        if (instances.containsKey(spec.id())) {
            throw new BackendException(BackendException.Kind.FAILED_PRECONDITION, "container " + spec.id() + " exists");
        }
        WasmStdio stdio = null;
        try {
            WasmConfig cfg = WasmConfig.load(spec.id(), spec.bundle());
            CompiledModule module = cache.get(ModuleBytes.read(cfg.rootfs(), cfg.modulePath()), cfg.engine());
            stdio = WasmStdio.open(spec.stdin(), spec.stdout(), spec.stderr());
            WasmInstance instance = WasmInstance.prepare(module, cfg, stdio, log);
            instances.put(spec.id(), instance);
            return new Created(Math.toIntExact(pid), Optional.of(new InstanceProcess(instance, pid)));
        } catch (WasmException e) {
            closeQuietly(stdio);
            throw new BackendException(
                    BackendException.Kind.FAILED, "wasm create " + spec.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(stdio);
            throw new BackendException(
                    BackendException.Kind.FAILED,
                    "wasm create " + spec.id() + ": cannot open its stdio: " + e.getMessage(),
                    e);
        }
    }

    private static void closeQuietly(WasmStdio stdio) {
        if (stdio != null) {
            try {
                stdio.close();
            } catch (IOException ignored) {
                // failing anyway
            }
        }
    }

    private WasmInstance find(String id) throws BackendException {
        WasmInstance i = instances.get(id);
        if (i == null) {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "wasm container " + id + " not found");
        }
        return i;
    }

    @Override
    public void start(String id) throws BackendException {
        WasmInstance i = find(id);
        if (i.exit().isDone()) {
            throw new BackendException(
                    BackendException.Kind.FAILED_PRECONDITION, "wasm container " + id + " has already exited");
        }
        i.start();
    }

    @Override
    public void kill(String id, int signal, boolean all) throws BackendException {
        if (signal < 0 || signal > 64) {
            throw new BackendException(BackendException.Kind.FAILED, "invalid signal " + signal);
        }
        if (!find(id).signal(signal)) {
            throw new BackendException(BackendException.Kind.NOT_FOUND, "wasm container " + id + " is not running");
        }
    }

    @Override
    public void delete(String id, boolean force) throws BackendException {
        WasmInstance i = find(id);
        if (!i.exit().isDone()) {
            if (!force && i.isRunning()) {
                throw new BackendException(
                        BackendException.Kind.FAILED_PRECONDITION,
                        "wasm container " + id + " is running: kill it first");
            }
            i.signal(WasmInstance.SIGKILL);
        }
        instances.remove(id);
    }

    @Override
    public List<Integer> pids(String id) throws BackendException {
        return find(id).exit().isDone() ? List.of() : List.of(Math.toIntExact(pid));
    }

    /** Linear memory is sized at create; only an empty update succeeds. */
    @Override
    public void update(String id, byte[] resourcesJson) throws BackendException {
        find(id);
        String json = new String(resourcesJson, StandardCharsets.UTF_8).strip();
        if (!json.isEmpty() && !json.equals("{}")) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED,
                    "the resources of a running WASM container cannot be changed (" + id + ")");
        }
    }

    /** The instance seen as a process: what the task service waits on for the exit status. */
    static final class InstanceProcess extends Process {
        private final WasmInstance instance;
        private final long pid;

        InstanceProcess(WasmInstance instance, long pid) {
            this.instance = instance;
            this.pid = pid;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return java.io.OutputStream.nullOutputStream();
        }

        @Override
        public java.io.InputStream getInputStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public java.io.InputStream getErrorStream() {
            return java.io.InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return instance.exit().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public int exitValue() {
            if (!instance.exit().isDone()) {
                throw new IllegalThreadStateException("the module is still running");
            }
            return instance.exit().join();
        }

        @Override
        public void destroy() {
            instance.signal(15);
        }

        @Override
        public Process destroyForcibly() {
            instance.signal(WasmInstance.SIGKILL);
            return this;
        }

        @Override
        public boolean isAlive() {
            return !instance.exit().isDone();
        }

        @Override
        public long pid() {
            return pid;
        }
    }
}
