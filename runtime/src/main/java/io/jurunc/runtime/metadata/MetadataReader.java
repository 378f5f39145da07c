package io.jurunc.runtime.metadata;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import io.jurunc.runtime.sys.Syscalls;
import io.jurunc.runtime.vm.GuestType;
import io.jurunc.runtime.vm.MonitorType;
import io.jurunc.runtime.vm.Solo5DeviceNames;
import io.jurunc.urunc.UruncKeys;
import io.jurunc.urunc.UruncValue;
import io.jurunc.urunc.UruncValueException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code com.urunc.unikernel.*} metadata with urunc's precedence: config.json annotations
 * win when they name a type and a hypervisor; otherwise {@code <rootfs>/urunc.json}. Values in either
 * are plain text, {@code b64:}-prefixed or legacy bare base64 ({@link UruncValue}). The vAccel keys
 * always come from the annotations. No keys at all means "not a unikernel" (the bundle goes to runc);
 * keys that are present but incomplete or invalid are errors.
 */
public final class MetadataReader {
    private MetadataReader() {}

    /** Returns empty when neither source carries any unikernel key. */
    public static Optional<UnikernelMetadata> read(Map<String, String> annotations, Path rootfs)
            throws MetadataException {
        Map<String, String> fromSpec = new HashMap<>();
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.startsWith(UruncKeys.PREFIX) && v != null && !v.isEmpty()) {
                fromSpec.put(k, decode(k, v));
            }
        }
        boolean specComplete = fromSpec.containsKey(UruncKeys.TYPE) && fromSpec.containsKey(UruncKeys.HYPERVISOR);
        Map<String, String> chosen;
        String source;
        if (specComplete) {
            chosen = new HashMap<>(fromSpec);
            source = "annotations";
        } else {
            Optional<Map<String, String>> json = readUruncJson(rootfs);
            if (json.isPresent() && !json.get().isEmpty()) {
                chosen = new HashMap<>(json.get());
                source = UruncKeys.URUNC_JSON;
            } else if (hasCoreKey(fromSpec)) {
                chosen = new HashMap<>(fromSpec);
                source = "annotations";
            } else {
                return Optional.empty();
            }
        }
        // vAccel keys always come from the spec.
        for (String k : new String[] {UruncKeys.VACCEL, UruncKeys.RPC_ADDRESS}) {
            chosen.remove(k);
            if (fromSpec.containsKey(k)) chosen.put(k, fromSpec.get(k));
        }
        return Optional.of(validate(chosen, source));
    }

    private static boolean hasCoreKey(Map<String, String> m) {
        return m.keySet().stream()
                .anyMatch(k -> !k.equals(UruncKeys.VACCEL)
                        && !k.equals(UruncKeys.RPC_ADDRESS)
                        && !k.equals(UruncKeys.USE_DM_BLOCK));
    }

    static UnikernelMetadata validate(Map<String, String> m, String source) throws MetadataException {
        String where = " (from " + source + ")";
        String typeValue = m.get(UruncKeys.TYPE);
        if (typeValue == null) {
            throw new MetadataException(
                    UruncKeys.TYPE,
                    "is missing" + where,
                    "set it to one of " + keys(GuestType.all().stream().map(GuestType::key)));
        }
        String hvValue = m.get(UruncKeys.HYPERVISOR);
        if (hvValue == null) {
            throw new MetadataException(
                    UruncKeys.HYPERVISOR,
                    "is missing" + where,
                    "set it to one of " + keys(MonitorType.all().stream().map(MonitorType::key)));
        }
        GuestType guest;
        MonitorType monitor;
        try {
            guest = GuestType.parse(typeValue);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(UruncKeys.TYPE, e.getMessage() + where, null);
        }
        try {
            monitor = MonitorType.parse(hvValue);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(UruncKeys.HYPERVISOR, e.getMessage() + where, null);
        }
        Optional<GuestPath> binary = optionalPath(m, UruncKeys.BINARY);
        if (binary.isEmpty() && !guest.runsJuruncInit()) {
            throw new MetadataException(
                    UruncKeys.BINARY,
                    "is missing" + where,
                    "a " + guest.key() + " image must name its kernel, e.g. /unikernel/app.bin");
        }
        Optional<GuestPath> initrd = optionalPath(m, UruncKeys.INITRD);
        Optional<GuestPath> block = optionalPath(m, UruncKeys.BLOCK);
        Optional<String> mnt = Optional.ofNullable(m.get(UruncKeys.BLK_MNT_POINT));
        if (mnt.isPresent() && !mnt.get().startsWith("/")) {
            throw new MetadataException(
                    UruncKeys.BLK_MNT_POINT,
                    "'" + mnt.get() + "' is not absolute",
                    "use a guest mount point such as /data");
        }
        boolean mountRootfs = parseBool(m, UruncKeys.MOUNT_ROOTFS);
        Optional<String> vaccel = Optional.ofNullable(m.get(UruncKeys.VACCEL));
        if (vaccel.isPresent()
                && !vaccel.get().equals("vsock")
                && !vaccel.get().equals("tcp")
                && !vaccel.get().equals("unix")) {
            throw new MetadataException(
                    UruncKeys.VACCEL, "'" + vaccel.get() + "' is not a vAccel transport", "use vsock (or tcp)");
        }
        Solo5DeviceNames solo5 =
                new Solo5DeviceNames(solo5Name(m, UruncKeys.SOLO5_NET_DEV), solo5Name(m, UruncKeys.SOLO5_BLK_DEV));
        return new UnikernelMetadata(
                guest,
                monitor,
                binary,
                initrd,
                block,
                mnt,
                Optional.ofNullable(m.get(UruncKeys.CMDLINE)),
                Optional.ofNullable(m.get(UruncKeys.VERSION)),
                mountRootfs,
                vaccel,
                Optional.ofNullable(m.get(UruncKeys.RPC_ADDRESS)),
                solo5,
                source,
                m);
    }

    private static String keys(Stream<String> names) {
        return names.collect(Collectors.joining(", "));
    }

    private static Optional<String> solo5Name(Map<String, String> m, String key) throws MetadataException {
        String v = m.get(key);
        if (v == null) return Optional.empty();
        if (!Solo5DeviceNames.NAME.matcher(v).matches()) {
            throw new MetadataException(
                    key,
                    "'" + v + "' is not a Solo5 device name",
                    "use the name the unikernel's manifest declares: 1 to 67 letters or digits (solo5-elftool query-manifest)");
        }
        return Optional.of(v);
    }

    private static Optional<GuestPath> optionalPath(Map<String, String> m, String key) throws MetadataException {
        String v = m.get(key);
        return v == null ? Optional.empty() : Optional.of(GuestPath.parse(key, v));
    }

    private static boolean parseBool(Map<String, String> m, String key) throws MetadataException {
        String v = m.get(key);
        if (v == null) return false;
        return switch (v.trim().toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no", "" -> false;
            default -> throw new MetadataException(key, "'" + v + "' is not a boolean", "use true or false");
        };
    }

    /** {@link UruncValue#decode}, its failure as a {@link MetadataException} naming the key. */
    static String decode(String key, String value) throws MetadataException {
        try {
            return UruncValue.decode(key, value);
        } catch (UruncValueException e) {
            throw new MetadataException(e.key(), e.problem(), e.fix());
        }
    }

    /**
     * Reads and base64-decodes {@code <rootfs>/urunc.json}; empty if the file does not exist. The file
     * is opened without following links, must be a regular file of at most {@link RootfsFile#MAX_BYTES},
     * and no error repeats its content.
     */
    static Optional<Map<String, String>> readUruncJson(Path rootfs) throws MetadataException {
        if (rootfs == null) return Optional.empty();
        String key = "/" + UruncKeys.URUNC_JSON;
        Optional<byte[]> bytes = RootfsFile.read(Syscalls.linux(), rootfs, UruncKeys.URUNC_JSON, key);
        if (bytes.isEmpty()) return Optional.empty();
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes.get());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MetadataException(
                    key,
                    "is not valid JSON"
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"),
                    "rebuild the image or fix the file");
        } catch (IOException e) {
            throw new MetadataException(key, "cannot be parsed: " + e.getClass().getSimpleName(), null);
        }
        if (node == null || !node.isObject()) {
            throw new MetadataException(key, "is not a JSON object", "it must map annotation names to base64 values");
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().startsWith(UruncKeys.PREFIX)) continue;
            if (!e.getValue().isTextual()) {
                throw new MetadataException(e.getKey(), "in urunc.json is not a string", "values are base64 strings");
            }
            String decoded = decode(e.getKey(), e.getValue().asText());
            if (!decoded.isEmpty()) out.put(e.getKey(), decoded);
        }
        return Optional.of(out);
    }
}
