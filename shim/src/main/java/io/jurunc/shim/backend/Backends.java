package io.jurunc.shim.backend;

import io.jurunc.shim.os.ShimOs;
import java.nio.file.Path;
import java.util.Map;

/**
 * The standard backends of a namespace: runc (state in {@code /run/containerd/runc/<ns>}, as containerd's
 * runc shim) and the jurunc runtime library in-process (state in {@code /run/containerd/jurunc/<ns>}), or the
 * jurunc CLI with {@code JURUNC_SHIM_UNIKERNEL=cli}. The binaries can be overridden with
 * {@code JURUNC_SHIM_RUNC} / {@code JURUNC_SHIM_JURUNC}.
 */
public final class Backends {
    public static final Path RUNC_ROOT = Path.of("/run/containerd/runc");
    public static final Path JURUNC_ROOT = Path.of("/run/containerd/jurunc");

    private Backends() {}

    /** {@code cli}: drive unikernels through the jurunc CLI instead of the in-process runtime library. */
    public static final String UNIKERNEL_MODE_ENV = "JURUNC_SHIM_UNIKERNEL";

    public static BackendSelector standard(
            String namespace, Map<String, String> env, ShimOs os, java.util.function.Consumer<String> log) {
        RuncStyleBackend runc = new RuncStyleBackend(
                "runc", env.getOrDefault("JURUNC_SHIM_RUNC", "runc"), RUNC_ROOT.resolve(namespace), os);
        Path juruncRoot = JURUNC_ROOT.resolve(namespace);
        ContainerBackend jurunc = "cli".equals(env.get(UNIKERNEL_MODE_ENV))
                ? new RuncStyleBackend("jurunc", env.getOrDefault("JURUNC_SHIM_JURUNC", "jurunc"), juruncRoot, os)
                : new InProcessJuruncBackend(juruncRoot, log);
        // WASM runs in this JVM (docs/wasm.md); in CLI mode the jurunc CLI runs it like any of its containers.
        ContainerBackend wasm = jurunc instanceof RuncStyleBackend ? jurunc : new WasmBackend(log);
        return new BackendSelector(jurunc, runc, BackendSelector.metadataClassifier(), wasm, WasmBackend.classifier());
    }
}
