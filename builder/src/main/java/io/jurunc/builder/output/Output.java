package io.jurunc.builder.output;

import io.jurunc.builder.image.ImageReference;
import java.nio.file.Path;

/** Where a built image goes. Several outputs may be given for one build. */
public sealed interface Output {
    /** An OCI image layout directory (added to if it already is one). */
    record OciLayout(Path directory) implements Output {}

    /** An OCI image layout as a tar file. */
    record OciArchive(Path file) implements Output {}

    /** A {@code docker save} tarball (single platform; it has no place for annotations). */
    record DockerArchive(Path file) implements Output {}

    /** A registry, over the OCI distribution API; null reference = the build's name. */
    record Registry(ImageReference reference) implements Output {}

    /** containerd, through {@code ctr images import}. */
    record Containerd(String address, String namespace, String snapshotter) implements Output {}
}
