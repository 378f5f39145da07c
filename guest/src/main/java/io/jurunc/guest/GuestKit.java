package io.jurunc.guest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, Object> root;
        try {
            root = parse(Files.readAllBytes(json));
        } catch (NoSuchFileException e) {
            throw new GuestKitException("guest kit missing: " + json + " does not exist; " + BUILD_HINT);
        } catch (IOException e) {
            throw new GuestKitException(
                    "guest kit " + json + " is unreadable or not JSON (" + e.getMessage() + "); rebuild it "
                            + "with scripts/build-kit.sh",
                    e);
        }
        if (root == null || !Integer.valueOf(1).equals(root.get("version"))) {
            throw new GuestKitException(
                    json + " is not a version 1 kit description; rebuild it with scripts/build-kit.sh");
        }
        Object sectionValue = standard ? root.get("standard") : root;
        if (!(sectionValue instanceof Map<?, ?> section)) {
            throw new GuestKitException(json + " has no \"standard\" section; " + BUILD_HINT);
        }
        Path kernel = file(dir, json, section, "kernel");
        Object flavorName = section.get("flavor");
        KernelFlavor flavor = flavorName instanceof String name ? KernelFlavor.fromKitName(name) : null;
        if (flavor == null) {
            throw new GuestKitException(
                    json + ": unknown flavor \"" + flavorName + "\" (expected microvm or standard)");
        }
        Path init = file(dir, json, root, "init");
        List<Path> modules = new ArrayList<>();
        Object mods = section.get("modules");
        if (mods != null && !(mods instanceof List<?>)) {
            throw new GuestKitException(json + ": \"modules\" must be an array of paths");
        }
        if (mods instanceof List<?> list) {
            for (Object m : list) {
                modules.add(existing(dir, json, m instanceof String str ? str : ""));
            }
        }
        if (flavor == KernelFlavor.STANDARD && modules.isEmpty()) {
            throw new GuestKitException(
                    json + ": the standard kernel lists no modules, so it would boot without virtio; " + BUILD_HINT);
        }
        if (flavor == KernelFlavor.MICROVM && !modules.isEmpty()) {
            throw new GuestKitException(json + ": a microvm kernel must not list modules");
        }
        return new GuestKit(dir, kernel, flavor, init, modules);
    }

    private static Path file(Path dir, Path json, Map<?, ?> node, String key) throws GuestKitException {
        if (!(node.get(key) instanceof String v) || v.isEmpty()) {
            throw new GuestKitException(json + " has no \"" + key + "\" path; " + BUILD_HINT);
        }
        return existing(dir, json, v);
    }

    /**
     * Reads a JSON object into maps, lists, strings, integers and booleans. Streaming jackson-core
     * only: kit.json is read on every create, and jackson-databind's first use costs far more.
     */
    private static Map<String, Object> parse(byte[] json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, Object> root = object(p);
            if (p.nextToken() != null) {
                throw new IOException("trailing data after the object");
            }
            return root;
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, value(p));
        }
        return map;
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getIntValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + p.currentToken());
        };
    }

    private static Path existing(Path dir, Path json, String relative) throws GuestKitException {
        Path p = dir.resolve(relative).normalize();
        if (relative.isEmpty() || !p.startsWith(dir)) {
            throw new GuestKitException(json + " names \"" + relative + "\", which is not a path inside the kit");
        }
        if (!Files.isRegularFile(p)) {
            throw new GuestKitException(
                    "guest kit incomplete: " + p + " (named in " + json + ") is missing; " + BUILD_HINT);
        }
        return p;
    }
}
