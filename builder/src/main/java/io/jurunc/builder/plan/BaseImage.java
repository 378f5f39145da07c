package io.jurunc.builder.plan;

import io.jurunc.builder.image.ImageReference;

/** What an image starts from. */
public sealed interface BaseImage {
    record Scratch() implements BaseImage {}

    record Remote(ImageReference reference) implements BaseImage {}

    static BaseImage scratch() {
        return new Scratch();
    }
}
