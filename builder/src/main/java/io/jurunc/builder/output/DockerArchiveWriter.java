package io.jurunc.builder.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.OutputException;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@code docker save} tarball: {@code manifest.json}, the config as {@code <hex>.json} and
 * each gzipped layer as {@code <hex>.tar.gz}. The format has no manifest annotations; the urunc
 * metadata survives in the config labels and in {@code /urunc.json}.
 */
public final class DockerArchiveWriter {
    private final Instant mtime;

    public DockerArchiveWriter(Instant mtime) {
        this.mtime = mtime;
    }

    public void write(BuiltImage image, Path file) {
        if (image.manifests().size() != 1) {
            throw new OutputException(
                    "a docker-archive holds one platform, but this build made "
                            + image.manifests().size(),
                    "build one --platform for docker-archive, or use an OCI output for several");
        }
        JsonNode manifest = image.manifestJson(image.manifests().getFirst());
        Descriptor config = Descriptor.fromJson(manifest.path("config"));
        List<Descriptor> layers = new ArrayList<>();
        manifest.path("layers").forEach(l -> layers.add(Descriptor.fromJson(l)));
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("Config", config.digest().hex() + ".json");
        entry.putArray("RepoTags").add(image.name().toString());
        ArrayNode ls = entry.putArray("Layers");
        layers.forEach(l -> ls.add(l.digest().hex() + ".tar.gz"));
        ArrayNode top = JsonNodeFactory.instance.arrayNode().add(entry);
        AtomicFile.write(file, out -> {
            try (TarFiles tar = new TarFiles(out, mtime)) {
                tar.file(config.digest().hex() + ".json", image.store().path(config.digest()));
                List<String> seen = new ArrayList<>();
                for (Descriptor l : layers) {
                    if (!seen.contains(l.digest().hex())) {
                        seen.add(l.digest().hex());
                        tar.file(l.digest().hex() + ".tar.gz", image.store().path(l.digest()));
                    }
                }
                tar.bytes("manifest.json", Json.bytes(top));
            }
        });
    }
}
