package io.jurunc.shim.backend;

import io.jurunc.oci.Json;
import io.jurunc.oci.SpecException;
import io.jurunc.runtime.metadata.MetadataException;
import io.jurunc.runtime.metadata.MetadataReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the backend of a container: unikernel bundles (urunc metadata in the annotations or in
 * {@code rootfs/urunc.json}) go to the jurunc runtime, everything else to runc. The choice is written
 * to {@code <bundle>/jurunc-shim-backend} so that {@code shim delete} later uses the same backend.
 */
public final class BackendSelector {
    public static final String MARKER = "jurunc-shim-backend";

    /** Decides whether a bundle holds a unikernel. */
    @FunctionalInterface
    public interface Classifier {
        boolean isUnikernel(Path bundle) throws BackendException;
    }

    private final ContainerBackend unikernel;
    private final ContainerBackend runc;
    private final Classifier classifier;

    public BackendSelector(ContainerBackend unikernel, ContainerBackend runc, Classifier classifier) {
        this(unikernel, runc, classifier, null, bundle -> false);
    }

    /** With a WASM backend, asked first: its classifier selects WASM bundles (docs/wasm.md). */
    public BackendSelector(
            ContainerBackend unikernel,
            ContainerBackend runc,
            Classifier classifier,
            ContainerBackend wasm,
            Classifier wasmClassifier) {
        this.unikernel = unikernel;
        this.runc = runc;
        this.classifier = classifier;
        this.wasm = wasm;
        this.wasmClassifier = wasmClassifier;
    }

    private final ContainerBackend wasm;
    private final Classifier wasmClassifier;

    private ContainerBackend classify(Path bundle) throws BackendException {
        if (wasm != null && wasmClassifier.isUnikernel(bundle)) {
            return wasm;
        }
        return classifier.isUnikernel(bundle) ? unikernel : runc;
    }

    /** The classifier of the jurunc runtime: its metadata reader, on the bundle's config.json and rootfs. */
    public static Classifier metadataClassifier() {
        return bundle -> {
            try {
                io.jurunc.oci.Spec spec = Json.loadSpec(bundle);
                Map<String, String> annotations = spec.annotations();
                String root =
                        Optional.ofNullable(spec.root()).map(r -> r.path()).orElse("rootfs");
                return MetadataReader.read(annotations, bundle.resolve(root)).isPresent();
            } catch (SpecException e) {
                throw new BackendException(BackendException.Kind.FAILED, e.getMessage(), e);
            } catch (MetadataException e) {
                throw new BackendException(
                        BackendException.Kind.FAILED,
                        "bundle " + bundle + " has broken unikernel metadata: " + e.getMessage(),
                        e);
            }
        };
    }

    /** Classifies a new container and records the choice in its bundle. */
    public ContainerBackend select(Path bundle) throws BackendException {
        ContainerBackend chosen = classify(bundle);
        try {
            Files.writeString(bundle.resolve(MARKER), chosen.name());
        } catch (IOException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED,
                    "cannot record the backend in " + bundle.resolve(MARKER) + ": " + e.getMessage(),
                    e);
        }
        return chosen;
    }

    /** The backend recorded for an existing bundle; falls back to classifying it again. */
    public ContainerBackend recorded(Path bundle) throws BackendException {
        try {
            String name = Files.readString(bundle.resolve(MARKER)).strip();
            if (name.equals(unikernel.name())) {
                return unikernel;
            }
            if (name.equals(runc.name())) {
                return runc;
            }
            if (wasm != null && name.equals(wasm.name())) {
                return wasm;
            }
        } catch (NoSuchFileException e) {
            // created by another shim version: classify again
        } catch (IOException e) {
            throw new BackendException(BackendException.Kind.FAILED, "cannot read " + bundle.resolve(MARKER), e);
        }
        return classify(bundle);
    }
}
