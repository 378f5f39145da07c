package io.jurunc.builder.plan;

import io.jurunc.builder.InputException;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Looks into base images while planning (for the kernel's existence and its architecture). */
public interface BaseImageResolver {
    /** What a planner may ask about a base image. */
    interface BaseView {
        Platform platform();

        /** Opens a regular file of the image's final file system, if it exists. */
        Optional<InputStream> open(String absolutePath) throws IOException;
    }

    BaseView resolve(ImageReference reference, Platform wanted);

    /** For builds that must not touch a registry (tests, FROM scratch only). */
    BaseImageResolver NONE = (ref, p) -> {
        throw new InputException(
                "base image " + ref + " is needed but no registry access is configured",
                "use FROM scratch, or build through ImageBuilder with a registry client");
    };
}
