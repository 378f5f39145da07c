package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.Json;
import io.jurunc.oci.Spec;
import io.jurunc.oci.SpecException;
import io.jurunc.runtime.metadata.MetadataException;
import io.jurunc.runtime.metadata.MetadataReader;
import io.jurunc.runtime.metadata.UnikernelMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A parsed OCI bundle. {@link #metadata()} is empty for ordinary containers, which go to runc.
 */
public record Bundle(Path dir, Spec spec, Path rootfs, Optional<UnikernelMetadata> metadata) {

    public boolean isUnikernel() {
        return metadata.isPresent();
    }

    private static final java.util.regex.Pattern ROOT_PATH =
            java.util.regex.Pattern.compile("\"root\"\\s*:\\s*\\{\\s*\"path\"\\s*:\\s*\"([^\"\\\\]+)\"");

    /**
     * A cheap test that avoids parsing config.json on runc's path: true when the bundle certainly names
     * no unikernel (no {@code com.urunc.unikernel.} text in config.json and no urunc.json in the
     * rootfs). False means "parse it": {@link #load} decides.
     */
    public static boolean certainlyNotUnikernel(Path dir) {
        try {
            String json = Files.readString(dir.resolve("config.json"));
            if (json.contains("com.urunc.unikernel.") || json.contains("\\u")) return false;
            java.util.regex.Matcher m = ROOT_PATH.matcher(json);
            if (!m.find()) return false;
            return !Files.exists(dir.toAbsolutePath().resolve(m.group(1)).resolve("urunc.json"));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Parses config.json and the unikernel metadata; errors name the file/key and the fix. */
    public static Bundle load(Path dir) throws InvalidBundleException {
        Path abs = dir.toAbsolutePath().normalize();
        Spec spec;
        try {
            spec = Json.loadSpec(abs);
        } catch (SpecException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
        if (spec.root() == null
                || spec.root().path() == null
                || spec.root().path().isBlank()) {
            throw new InvalidBundleException(abs.resolve("config.json") + ": root.path is missing");
        }
        Path rootfs = abs.resolve(spec.root().path()).normalize();
        Optional<UnikernelMetadata> md;
        try {
            md = MetadataReader.read(spec.annotations(), Files.isDirectory(rootfs) ? rootfs : null);
        } catch (MetadataException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
        if (md.isPresent() && !Files.isDirectory(rootfs)) {
            throw new InvalidBundleException("root.path " + rootfs + " is not a directory");
        }
        return new Bundle(abs, spec, rootfs, md);
    }
}
