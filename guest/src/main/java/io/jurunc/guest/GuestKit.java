package io.jurunc.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A built guest kit (scripts/build-kit.sh): a kernel, the static init and, for the standard
 * flavour, the kernel modules the init loads, in load order. All paths are absolute.
 *
 * @param dir the kit directory
 * @param kernel the kernel image to boot
 * @param flavor what the kernel needs (machine type, modules)
 * @param init the static guest init
 * @param modules {@code .ko} files, dependencies first; empty for {@link KernelFlavor#MICROVM}
 */
public record GuestKit(Path dir, Path kernel, KernelFlavor flavor, Path init, List<Path> modules) {
  /** Where scripts/build-kit.sh puts the kit by default. */
  public static final Path DEFAULT_DIR = Path.of("/var/lib/jurunc/kit");

  static final String BUILD_HINT = "build it with scripts/build-kit.sh";

  public GuestKit {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(init, "init");
    modules = List.copyOf(Objects.requireNonNull(modules, "modules"));
    if (flavor == KernelFlavor.MICROVM && !modules.isEmpty()) {
      throw new IllegalArgumentException("a microvm kernel has everything built in; got modules");
    }
  }

  /** Loads the kit's default kernel (the project kernel when it was built). */
  public static GuestKit load(Path kitDir) throws GuestKitException {
    return read(kitDir, false);
  }

  /** Loads the kit's Debian cloud kernel (flavour standard): the fallback. */
  public static GuestKit loadStandard(Path kitDir) throws GuestKitException {
    return read(kitDir, true);
  }

  private static GuestKit read(Path kitDir, boolean standard) throws GuestKitException {
    Path dir = kitDir.toAbsolutePath().normalize();
    Path json = dir.resolve("kit.json");
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(json));
    } catch (NoSuchFileException e) {
      throw new GuestKitException("guest kit missing: " + json + " does not exist; " + BUILD_HINT);
    } catch (IOException e) {
      throw new GuestKitException(
          "guest kit " + json + " is unreadable or not JSON (" + e.getMessage() + "); rebuild it "
              + "with scripts/build-kit.sh", e);
    }
    if (root == null || !root.isObject() || root.path("version").asInt(0) != 1) {
      throw new GuestKitException(
          json + " is not a version 1 kit description; rebuild it with scripts/build-kit.sh");
    }
    JsonNode section = standard ? root.path("standard") : root;
    if (!section.isObject()) {
      throw new GuestKitException(json + " has no \"standard\" section; " + BUILD_HINT);
    }
    Path kernel = file(dir, json, section, "kernel");
    String flavorName = section.path("flavor").asText("");
    KernelFlavor flavor = KernelFlavor.fromKitName(flavorName);
    if (flavor == null) {
      throw new GuestKitException(
          json + ": unknown flavor \"" + flavorName + "\" (expected microvm or standard)");
    }
    Path init = file(dir, json, root, "init");
    List<Path> modules = new ArrayList<>();
    JsonNode mods = section.path("modules");
    if (!mods.isMissingNode() && !mods.isArray()) {
      throw new GuestKitException(json + ": \"modules\" must be an array of paths");
    }
    for (JsonNode m : mods) {
      modules.add(existing(dir, json, m.asText("")));
    }
    if (flavor == KernelFlavor.STANDARD && modules.isEmpty()) {
      throw new GuestKitException(
          json + ": the standard kernel lists no modules, so it would boot without virtio; "
              + BUILD_HINT);
    }
    if (flavor == KernelFlavor.MICROVM && !modules.isEmpty()) {
      throw new GuestKitException(json + ": a microvm kernel must not list modules");
    }
    return new GuestKit(dir, kernel, flavor, init, modules);
  }

  private static Path file(Path dir, Path json, JsonNode node, String key)
      throws GuestKitException {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new GuestKitException(json + " has no \"" + key + "\" path; " + BUILD_HINT);
    }
    return existing(dir, json, v.asText());
  }

  private static Path existing(Path dir, Path json, String relative) throws GuestKitException {
    Path p = dir.resolve(relative).normalize();
    if (relative.isEmpty() || !p.startsWith(dir)) {
      throw new GuestKitException(
          json + " names \"" + relative + "\", which is not a path inside the kit");
    }
    if (!Files.isRegularFile(p)) {
      throw new GuestKitException(
          "guest kit incomplete: " + p + " (named in " + json + ") is missing; " + BUILD_HINT);
    }
    return p;
  }
}
