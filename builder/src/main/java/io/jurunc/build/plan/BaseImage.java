package io.jurunc.build.plan;

import io.jurunc.build.registry.ImageReference;

/** What an image starts from. */
public sealed interface BaseImage {
    record Scratch() implements BaseImage { }

    record Remote(ImageReference reference) implements BaseImage { }

    static BaseImage scratch() {
        return new Scratch();
    }
}
