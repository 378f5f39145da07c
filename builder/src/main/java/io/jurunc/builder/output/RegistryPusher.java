package io.jurunc.builder.output;

import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.MediaTypes;
import io.jurunc.builder.registry.RegistryClient;

/**
 * Pushes an image over the distribution API: blobs the registry already has are skipped (HEAD),
 * child manifests go up by digest, and the top manifest or index by tag.
 */
public final class RegistryPusher {
    private final RegistryClient client;

    public RegistryPusher(RegistryClient client) {
        this.client = client;
    }

    public record Pushed(String digest, int uploaded, int skipped) {}

    public Pushed push(BuiltImage image, ImageReference target) {
        int uploaded = 0;
        int skipped = 0;
        for (Descriptor d : image.blobs()) {
            if (MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType())) {
                continue;
            }
            if (client.hasBlob(target, d.digest())) {
                skipped++;
            } else {
                client.pushBlob(target, d.digest(), image.store().path(d.digest()));
                uploaded++;
            }
        }
        if (image.isIndex()) {
            for (Descriptor m : image.manifests()) {
                client.putManifest(
                        target,
                        m.digest().toString(),
                        m.mediaType(),
                        image.store().read(m.digest()));
            }
        }
        String ref = target.tag() != null ? target.tag() : image.top().digest().toString();
        String digest = client.putManifest(
                target,
                ref,
                image.top().mediaType(),
                image.store().read(image.top().digest()));
        return new Pushed(digest, uploaded, skipped);
    }
}
