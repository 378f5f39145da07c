package io.jurunc.builder.build;

import io.jurunc.builder.Timings;
import io.jurunc.builder.image.Descriptor;
import java.util.List;

/**
 * What a build made: the top descriptor (manifest or index), the per-platform manifests, what was
 * written where, and the wall time of each phase.
 */
public record BuildResult(
        Descriptor image, List<Descriptor> manifests, List<String> written, List<Timings.Phase> timings) {
    public BuildResult {
        manifests = List.copyOf(manifests);
        written = List.copyOf(written);
        timings = List.copyOf(timings);
    }

    public BuildResult(Descriptor image, List<Descriptor> manifests, List<String> written) {
        this(image, manifests, written, List.of());
    }
}
