package io.jurunc.build;

import io.jurunc.build.image.Descriptor;
import java.util.List;

/** What a build made: the top descriptor (manifest or index), the per-platform manifests, and what was written where. */
public record BuildResult(Descriptor image, List<Descriptor> manifests, List<String> written) {
    public BuildResult {
        manifests = List.copyOf(manifests);
        written = List.copyOf(written);
    }
}
