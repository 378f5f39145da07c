package io.jurunc.builder.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A base image's config (as its JSON tree) and its layers, with blobs already in the build's store. */
public record BaseLayers(Platform platform, ObjectNode config, List<Descriptor> layers, List<Digest> diffIds) {
    public BaseLayers {
        layers = List.copyOf(layers);
        diffIds = List.copyOf(diffIds);
        if (layers.size() != diffIds.size()) {
            throw new IllegalArgumentException(
                    "base image has " + layers.size() + " layers but " + diffIds.size() + " diff_ids");
        }
    }
}
