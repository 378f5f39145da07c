package io.jurunc.shim.backend;

import io.jurunc.shim.os.ShimOs;
import java.nio.file.Path;
import java.util.Map;

/**
 * The standard backends of a namespace: runc (state in {@code /run/containerd/runc/<ns>}, as containerd's
 * runc shim) and the jurunc runtime (state in {@code /run/containerd/jurunc/<ns>}). The binaries can be
 * overridden with {@code JURUNC_SHIM_RUNC} / {@code JURUNC_SHIM_JURUNC}.
 */
public final class Backends {
    public static final Path RUNC_ROOT = Path.of("/run/containerd/runc");
    public static final Path JURUNC_ROOT = Path.of("/run/containerd/jurunc");

    private Backends() {
    }

    public static BackendSelector standard(String namespace, Map<String, String> env, ShimOs os) {
        RuncStyleBackend runc = new RuncStyleBackend("runc", env.getOrDefault("JURUNC_SHIM_RUNC", "runc"),
                RUNC_ROOT.resolve(namespace), os);
        RuncStyleBackend jurunc = new RuncStyleBackend("jurunc", env.getOrDefault("JURUNC_SHIM_JURUNC", "jurunc"),
                JURUNC_ROOT.resolve(namespace), os);
        return new BackendSelector(jurunc, runc, BackendSelector.metadataClassifier());
    }
}
