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

  /** Parses config.json and the unikernel metadata; errors name the file/key and the fix. */
  public static Bundle load(Path dir) throws InvalidBundleException {
    Path abs = dir.toAbsolutePath().normalize();
    Spec spec;
    try {
      spec = Json.loadSpec(abs);
    } catch (SpecException e) {
      throw new InvalidBundleException(e.getMessage(), e);
    }
    if (spec.root() == null || spec.root().path() == null || spec.root().path().isBlank()) {
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
