package io.jurunc.wasm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import io.jurunc.wasm.fs.RootedPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Whether a bundle is a WASM container, by the conventions users already write: crun's annotations
 * ({@code module.wasm.image/variant=compat|compat-smart}, {@code run.oci.handler=wasm}, as
 * {@code podman run --annotation} passes them) or jurunc's metadata
 * {@code com.urunc.unikernel.unikernelType=wasm} in the annotations or in the rootfs' {@code /urunc.json}.
 */
public final class WasmSelection {
    public static final String VARIANT = "module.wasm.image/variant";
    public static final String HANDLER = "run.oci.handler";
    public static final String UNIKERNEL_TYPE = "com.urunc.unikernel.unikernelType";
    public static final String TYPE = "wasm";
    static final Set<String> VARIANTS = Set.of("compat", "compat-smart");
    static final long MAX_URUNC_JSON = 64 * 1024;

    private WasmSelection() {}

    /** The annotations alone select WASM. */
    public static boolean byAnnotations(Map<String, String> annotations) {
        return VARIANTS.contains(annotations.getOrDefault(VARIANT, ""))
                || TYPE.equals(annotations.get(HANDLER))
                || TYPE.equals(annotations.get(UNIKERNEL_TYPE));
    }

    /** The annotations or, failing them, the rootfs' {@code /urunc.json} (read inside the rootfs). */
    public static boolean selects(Map<String, String> annotations, Path rootfs) throws WasmException {
        return byAnnotations(annotations) || (rootfs != null && uruncJsonSaysWasm(rootfs));
    }

    /**
     * A cheap test that keeps other bundles off the JSON parser: false when config.json never mentions
     * "wasm" and the rootfs has no urunc.json; true means "parse it and ask {@link #selects}".
     */
    public static boolean mightSelect(Path bundle) {
        try {
            String json = Files.readString(bundle.resolve("config.json"));
            if (json.contains(TYPE) || json.contains("\\u")) {
                return true;
            }
            return Files.exists(bundle.resolve("rootfs").resolve("urunc.json"), LinkOption.NOFOLLOW_LINKS)
                    || json.contains("urunc");
        } catch (IOException | RuntimeException e) {
            return true; // let the real parser report it
        }
    }

    static boolean uruncJsonSaysWasm(Path rootfs) throws WasmException {
        Path file;
        try {
            file = RootedPaths.resolve(RootedPaths.realRoot(rootfs), "/urunc.json", true);
        } catch (IOException e) {
            return false;
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new WasmException("/urunc.json in the image is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_URUNC_JSON + 1);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new WasmException("cannot read /urunc.json of the image: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_URUNC_JSON) {
            throw new WasmException("/urunc.json in the image is larger than " + MAX_URUNC_JSON + " bytes");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new WasmException("/urunc.json in the image is not JSON: " + e.getMessage(), e);
        }
        JsonNode type = node == null ? null : node.get(UNIKERNEL_TYPE);
        return type != null && type.isTextual() && TYPE.equals(decode(type.asText()));
    }

    /** urunc.json values: plain, {@code b64:}-prefixed, or bare base64 (urunc's own form). */
    static String decode(String value) {
        String v = value.startsWith("b64:") ? value.substring(4) : value;
        if (value.equals(TYPE)) {
            return value;
        }
        try {
            return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
