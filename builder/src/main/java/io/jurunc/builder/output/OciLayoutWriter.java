package io.jurunc.builder.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.OutputException;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.FileTrees;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Writes an OCI image layout directory. A new directory is built beside the target and renamed into
 * place; an existing layout gets the new blobs and an index.json that replaces any entry with the
 * same tag (written to a temp file and renamed), as skopeo and umoci do.
 */
public final class OciLayoutWriter {
    public void write(BuiltImage image, Path directory) {
        Path dir = directory.toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                if (Files.exists(dir.resolve("oci-layout"))) {
                    update(image, dir);
                    return;
                }
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new OutputException(
                                directory + " exists and is not an OCI layout",
                                "choose an empty or new directory, or an existing OCI layout");
                    }
                }
                Files.delete(dir);
            }
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".");
            try {
                Files.write(tmp.resolve("oci-layout"), OciArchiveWriter.OCI_LAYOUT);
                Path blobs = Files.createDirectories(tmp.resolve("blobs/sha256"));
                for (Descriptor d : image.blobs()) {
                    linkOrCopy(
                            image.store().path(d.digest()),
                            blobs.resolve(d.digest().hex()));
                }
                Files.write(tmp.resolve("index.json"), OciArchiveWriter.indexJson(image));
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
            } finally {
                FileTrees.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new OutputException(
                    "cannot write OCI layout " + directory + ": " + e.getMessage(),
                    "check that the directory is writable and has space",
                    e);
        }
    }

    /**
     * Blobs are immutable and content-addressed, so a hard link from the build's store (or the pull
     * cache) is as good as a copy and saves writing the layer a second time.
     */
    static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
            if (!Files.getPosixFilePermissions(to).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void update(BuiltImage image, Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        for (Descriptor d : image.blobs()) {
            Path target = blobs.resolve(d.digest().hex());
            if (!Files.exists(target)) {
                Path tmp = Files.createTempFile(blobs, ".", ".tmp");
                try {
                    Files.delete(tmp);
                    linkOrCopy(image.store().path(d.digest()), tmp);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        JsonNode old = Json.parse(Files.readAllBytes(dir.resolve("index.json")));
        ObjectNode idx = Json.mapper().createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode ms = idx.putArray("manifests");
        String tag = image.name().tagOrDigest();
        for (JsonNode m : old.path("manifests")) {
            if (!tag.equals(m.path("annotations").path(MediaTypes.REF_NAME).asText(null))) {
                ms.add(m);
            }
        }
        ms.add(image.top().withAnnotations(image.nameAnnotations()).toJson());
        Path tmp = Files.createTempFile(dir, ".index.", ".tmp");
        try {
            Files.write(tmp, Json.bytes(idx));
            Files.move(
                    tmp,
                    dir.resolve("index.json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
