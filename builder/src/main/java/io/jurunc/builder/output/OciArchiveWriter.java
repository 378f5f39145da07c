package io.jurunc.builder.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** Writes an OCI image layout as one tar file (what {@code ctr images import} and skopeo {@code oci-archive:} read). */
public final class OciArchiveWriter {
    static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    private final Instant mtime;

    public OciArchiveWriter(Instant mtime) {
        this.mtime = mtime;
    }

    public void write(BuiltImage image, Path file) {
        AtomicFile.write(file, out -> {
            try (TarFiles tar = new TarFiles(out, mtime)) {
                tar.directory("blobs/");
                tar.directory("blobs/sha256/");
                for (Descriptor d : image.blobs()) {
                    tar.file("blobs/sha256/" + d.digest().hex(), image.store().path(d.digest()));
                }
                tar.bytes("index.json", indexJson(image));
                tar.bytes("oci-layout", OCI_LAYOUT);
            }
        });
    }

    static byte[] indexJson(BuiltImage image) {
        ObjectNode idx = JsonNodeFactory.instance.objectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        idx.putArray("manifests")
                .add(image.top().withAnnotations(image.nameAnnotations()).toJson());
        return Json.bytes(idx);
    }
}
