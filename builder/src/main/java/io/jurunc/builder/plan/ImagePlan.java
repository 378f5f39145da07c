package io.jurunc.builder.plan;

import io.jurunc.builder.image.Platform;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything needed to assemble one single-platform image: the base, the new layers in order, the
 * config changes and the manifest annotations. Produced by a planner, trusted by the assembler.
 */
public record ImagePlan(
        Platform platform,
        BaseImage base,
        List<LayerSpec> layers,
        ConfigChanges config,
        Map<String, String> annotations) {
    public ImagePlan {
        layers = List.copyOf(layers);
        annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }
}
