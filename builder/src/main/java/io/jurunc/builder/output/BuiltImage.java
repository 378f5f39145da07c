package io.jurunc.builder.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished image in a blob store: the top descriptor (a manifest, or an index for several
 * platforms), the per-platform manifests, and the name it was built as.
 */
public record BuiltImage(BlobStore store, Descriptor top, List<Descriptor> manifests, ImageReference name) {
    public BuiltImage {
        manifests = List.copyOf(manifests);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(top.mediaType());
    }

    /** Every blob of the image, children before parents (layers, configs, manifests, index). */
    public List<Descriptor> blobs() {
        Map<String, Descriptor> out = new LinkedHashMap<>();
        for (Descriptor m : manifests) {
            JsonNode manifest = manifestJson(m);
            for (JsonNode l : manifest.path("layers")) {
                Descriptor d = Descriptor.fromJson(l);
                out.putIfAbsent(d.digest().hex(), d);
            }
            Descriptor c = Descriptor.fromJson(manifest.path("config"));
            out.putIfAbsent(c.digest().hex(), c);
        }
        for (Descriptor m : manifests) {
            out.putIfAbsent(m.digest().hex(), m);
        }
        out.putIfAbsent(top.digest().hex(), top);
        return new ArrayList<>(out.values());
    }

    public JsonNode manifestJson(Descriptor manifest) {
        try {
            return Json.parse(store.read(manifest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The annotations that name the image in an OCI layout's index.json. */
    public Map<String, String> nameAnnotations() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(MediaTypes.CONTAINERD_IMAGE_NAME, name.toString());
        a.put(MediaTypes.REF_NAME, name.tagOrDigest());
        return a;
    }
}
