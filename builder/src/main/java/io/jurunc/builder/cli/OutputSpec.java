package io.jurunc.builder.cli;

import io.jurunc.builder.InputException;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.output.Output;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses one {@code --output} value. Accepted forms:
 * <ul>
 * <li>bima's {@code ctr} (containerd import) and {@code tar} (docker-archive named after the tag, in the working directory);</li>
 * <li>skopeo-style transports {@code oci:DIR}, {@code oci-archive:FILE}, {@code docker-archive:FILE},
 *     {@code docker://REF} or {@code registry} (push to the -t name);</li>
 * <li>buildx-style {@code type=oci,dest=FILE[,tar=false]}, {@code type=docker,dest=FILE},
 *     {@code type=registry[,name=REF]}, {@code type=containerd}.</li>
 * </ul>
 */
public final class OutputSpec {
    private OutputSpec() {}

    public record Containerd(String address, String namespace, String snapshotter) {}

    public static Output parse(String value, ImageReference name, Containerd ctr) {
        String v = value.trim();
        if (v.equals("ctr") || v.equals("containerd") || v.equals("type=containerd")) {
            return new Output.Containerd(ctr.address(), ctr.namespace(), ctr.snapshotter());
        }
        if (v.equals("tar")) {
            String last = name.repository().substring(name.repository().lastIndexOf('/') + 1);
            return new Output.DockerArchive(Path.of(last + ":" + name.tagOrDigest()));
        }
        if (v.equals("registry") || v.equals("type=registry")) {
            return new Output.Registry(null);
        }
        if (v.startsWith("type=")) {
            Map<String, String> kv = new HashMap<>();
            for (String part : v.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw bad(value);
                }
                kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
            String dest = kv.get("dest");
            return switch (kv.get("type")) {
                case "oci" ->
                    "false".equals(kv.get("tar"))
                            ? new Output.OciLayout(path(dest, value))
                            : new Output.OciArchive(path(dest, value));
                case "docker" -> new Output.DockerArchive(path(dest, value));
                case "registry", "image" ->
                    new Output.Registry(kv.containsKey("name") ? ref(kv.get("name"), value) : null);
                default -> throw bad(value);
            };
        }
        int colon = v.indexOf(':');
        if (colon > 0) {
            String transport = v.substring(0, colon);
            String rest = v.substring(colon + 1);
            return switch (transport) {
                case "oci", "oci-dir" -> new Output.OciLayout(path(rest, value));
                case "oci-archive" -> new Output.OciArchive(path(rest, value));
                case "docker-archive" -> new Output.DockerArchive(path(rest, value));
                case "docker", "registry" -> new Output.Registry(ref(rest.replaceFirst("^//", ""), value));
                default -> throw bad(value);
            };
        }
        throw bad(value);
    }

    private static Path path(String p, String value) {
        if (p == null || p.isBlank()) {
            throw new InputException(
                    "output \"" + value + "\" has no destination",
                    "write e.g. oci-archive:image.tar or type=oci,dest=image.tar");
        }
        return Path.of(p);
    }

    private static ImageReference ref(String r, String value) {
        try {
            return ImageReference.parse(r);
        } catch (IllegalArgumentException e) {
            throw new InputException("output \"" + value + "\": " + e.getMessage(), "give a valid image reference");
        }
    }

    private static InputException bad(String value) {
        return new InputException(
                "invalid output type \"" + value + "\"",
                "use ctr, tar, oci:DIR, oci-archive:FILE, docker-archive:FILE, docker://REF, registry or type=oci|docker|registry,...");
    }
}
