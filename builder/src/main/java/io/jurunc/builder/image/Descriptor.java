package io.jurunc.builder.image;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** An OCI content descriptor. Annotations are kept sorted so that JSON output is stable. */
public record Descriptor(
        String mediaType, Digest digest, long size, Map<String, String> annotations, Platform platform) {
    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(new TreeMap<>(annotations));
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of(), null);
    }

    public Descriptor withAnnotations(Map<String, String> extra) {
        return new Descriptor(mediaType, digest, size, extra, platform);
    }

    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, annotations, p);
    }

    /** JSON in the field order the spec lists: mediaType, digest, size, annotations, platform. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("mediaType", mediaType);
        n.put("digest", digest.toString());
        n.put("size", size);
        if (!annotations.isEmpty()) {
            ObjectNode a = n.putObject("annotations");
            new TreeMap<>(annotations).forEach(a::put);
        }
        if (platform != null) {
            ObjectNode p = n.putObject("platform");
            p.put("architecture", platform.architecture());
            p.put("os", platform.os());
            if (platform.variant() != null) {
                p.put("variant", platform.variant());
            }
        }
        return n;
    }

    public static Descriptor fromJson(com.fasterxml.jackson.databind.JsonNode n) {
        Map<String, String> ann = new TreeMap<>();
        n.path("annotations")
                .properties()
                .forEach(e -> ann.put(e.getKey(), e.getValue().asText()));
        Platform p = null;
        if (n.has("platform")) {
            var pn = n.get("platform");
            p = new Platform(
                    pn.path("os").asText(),
                    pn.path("architecture").asText(),
                    pn.path("variant").asText(null));
        }
        return new Descriptor(
                n.path("mediaType").asText(),
                Digest.parse(n.path("digest").asText()),
                n.path("size").asLong(),
                ann,
                p);
    }
}
