package io.jurunc.builder.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.RegistryException;
import io.jurunc.builder.image.BaseLayers;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.Digest;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import io.jurunc.builder.image.Platform;
import io.jurunc.builder.plan.BaseImageResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pulls base images (manifest, config, layers) through the blob cache and registers their blobs in
 * the build's store. Also lets planners read files out of a base image's final file system.
 */
public final class BaseImages implements BaseImageResolver {
    private final RegistryClient client;
    private final BlobCache cache;
    private final BlobStore store;
    private final Map<String, Pulled> pulled = new HashMap<>();
    /** A compressed base layer larger than this is refused before it is downloaded. */
    static final long MAX_LAYER_BLOB = 16L << 30;

    static final long MAX_CONFIG = 4L << 20;

    public BaseImages(RegistryClient client, BlobCache cache, BlobStore store) {
        this.client = client;
        this.cache = cache;
        this.store = store;
    }

    /** A pulled image: its layers for assembly, and file access for planning. */
    public final class Pulled implements BaseView {
        private final BaseLayers layers;

        Pulled(BaseLayers layers) {
            this.layers = layers;
        }

        public BaseLayers layers() {
            return layers;
        }

        @Override
        public Platform platform() {
            return layers.platform();
        }

        @Override
        public Optional<InputStream> open(String absolutePath) throws IOException {
            List<LayerFiles.Layer> blobs = new ArrayList<>();
            for (Descriptor l : layers.layers()) {
                blobs.add(new LayerFiles.Layer(
                        store.path(l.digest()), l.mediaType().endsWith("gzip")));
            }
            Optional<Path> found =
                    LayerFiles.extract(blobs, absolutePath, store.directory(), LayerFiles.Limits.DEFAULT);
            return found.isEmpty() ? Optional.empty() : Optional.of(Files.newInputStream(found.get()));
        }
    }

    @Override
    public Pulled resolve(ImageReference reference, Platform wanted) {
        Platform target = wanted != null ? wanted : Platform.host();
        return pulled.computeIfAbsent(reference + "|" + target, k -> pull(reference, target));
    }

    private Pulled pull(ImageReference ref, Platform wanted) {
        RegistryClient.Fetched top = client.getManifest(ref);
        RegistryClient.Fetched manifest = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            JsonNode idx = parse(top.bytes());
            List<String> seen = new ArrayList<>();
            Descriptor pick = null;
            for (JsonNode m : idx.path("manifests")) {
                Descriptor d = Descriptor.fromJson(m);
                if (d.platform() == null) {
                    continue;
                }
                seen.add(d.platform().toString());
                if (d.platform().os().equals(wanted.os())
                        && d.platform().architecture().equals(wanted.architecture())
                        && (wanted.variant() == null
                                || wanted.variant().equals(d.platform().variant()))) {
                    pick = d;
                    break;
                }
            }
            if (pick == null) {
                throw new RegistryException(
                        "base image " + ref + " has no " + wanted + " variant (it has " + seen + ")",
                        "pick a --platform the base image provides");
            }
            manifest = client.getManifest(new ImageReference(
                    ref.registry(), ref.repository(), null, pick.digest().toString()));
        }
        JsonNode m = parse(manifest.bytes());
        Descriptor cfgDesc = Descriptor.fromJson(m.path("config"));
        if (cfgDesc.size() < 0 || cfgDesc.size() > MAX_CONFIG) {
            throw new RegistryException(
                    "config of " + ref + " is " + cfgDesc.size() + " bytes (limit " + MAX_CONFIG + ")",
                    "use another base image");
        }
        Path cfgPath = fetch(ref, cfgDesc.digest(), cfgDesc.size());
        ObjectNode config;
        try {
            config = (ObjectNode) Json.parse(Files.readAllBytes(cfgPath));
        } catch (IOException | ClassCastException e) {
            throw new RegistryException("config of " + ref + " is not a JSON object", "check the base image", e);
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            Descriptor d = Descriptor.fromJson(l);
            String type;
            try {
                type = MediaTypes.toOciLayer(d.mediaType());
            } catch (IllegalArgumentException e) {
                throw new RegistryException(
                        "base image " + ref + " has a layer of type " + d.mediaType(),
                        "use a base image with gzip or plain tar layers");
            }
            if (d.size() < 0 || d.size() > MAX_LAYER_BLOB) {
                throw new RegistryException(
                        "base image " + ref + " has a layer of " + d.size() + " bytes (limit " + MAX_LAYER_BLOB + ")",
                        "use a smaller base image");
            }
            fetch(ref, d.digest(), d.size());
            layers.add(new Descriptor(type, d.digest(), d.size()));
        }
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode id : config.path("rootfs").path("diff_ids")) {
            diffIds.add(Digest.parse(id.asText()));
        }
        Platform p = new Platform(
                config.path("os").asText("linux"),
                config.path("architecture").asText(wanted.architecture()),
                config.path("variant").asText(null));
        try {
            return new Pulled(new BaseLayers(p, config, layers, diffIds));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    "base image " + ref + " is inconsistent: " + e.getMessage(), "use another base image");
        }
    }

    private Path fetch(ImageReference ref, Digest d, long size) {
        Path p = cache.get(d, target -> client.getBlob(ref, d, size, target));
        store.reference(d, p);
        return p;
    }

    private static JsonNode parse(byte[] b) {
        try {
            return Json.parse(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
