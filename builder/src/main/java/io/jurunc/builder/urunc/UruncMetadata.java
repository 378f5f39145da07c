package io.jurunc.builder.urunc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.builder.image.Json;
import io.jurunc.urunc.UruncKeys;
import io.jurunc.urunc.UruncValue;
import io.jurunc.urunc.UruncVocabulary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validated urunc metadata. It is emitted three ways: manifest annotations and config labels (plain
 * values) and {@code /urunc.json} (base64 values, sorted keys), so that every consumer finds it.
 */
public record UruncMetadata(Map<String, String> values) {
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Set<String> BOOLS =
            Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False");

    public UruncMetadata {
        values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Extracts and validates the urunc keys among {@code labels}. Empty when there are none (a plain
     * image). {@code where} gives the line that set a key, {@code fallback} the place to blame for a
     * missing one.
     */
    public static Optional<UruncMetadata> from(
            Map<String, String> labels, Function<String, Location> where, Location fallback) {
        TreeMap<String, String> v = new TreeMap<>();
        labels.forEach((k, val) -> {
            if (k.startsWith("com.urunc.")) {
                v.put(k, val);
            }
        });
        if (v.keySet().stream().noneMatch(k -> k.startsWith(UruncKeys.PREFIX))) {
            return Optional.empty();
        }
        if ("wasm".equals(v.get(UruncKeys.TYPE))) {
            return Optional.of(new UruncMetadata(v)); // a WASI module: no monitor, no kernel (docs/wasm.md)
        }
        UruncVocabulary names = UruncVocabulary.installed();
        require(v, UruncKeys.TYPE, fallback, "e.g. LABEL " + UruncKeys.TYPE + "=" + hint(names.guests()));
        require(v, UruncKeys.HYPERVISOR, fallback, "e.g. LABEL " + UruncKeys.HYPERVISOR + "=" + hint(names.monitors()));
        for (String key : new String[] {UruncKeys.TYPE, UruncKeys.HYPERVISOR}) {
            if (v.get(key).isBlank()) {
                throw new BuildFileException(where.apply(key), key + " is empty", "give it a value");
            }
        }
        known(v, UruncKeys.TYPE, names::isGuest, names.guests(), where);
        known(v, UruncKeys.HYPERVISOR, names::isMonitor, names.monitors(), where);
        if (!"linux".equals(v.get(UruncKeys.TYPE))) {
            require(
                    v,
                    UruncKeys.BINARY,
                    fallback,
                    "add LABEL " + UruncKeys.BINARY
                            + "=/path/of/kernel (only unikernelType=linux may use the host's default kernel)");
        }
        for (String key : new String[] {UruncKeys.BINARY, UruncKeys.INITRD, UruncKeys.BLOCK, UruncKeys.BLK_MNT_POINT}) {
            String p = v.get(key);
            if (p != null) {
                checkPath(key, p, where.apply(key), key.equals(UruncKeys.BLK_MNT_POINT));
            }
        }
        for (String key : new String[] {UruncKeys.MOUNT_ROOTFS, UruncKeys.USE_DM_BLOCK}) {
            String b = v.get(key);
            if (b != null && !BOOLS.contains(b)) {
                throw new BuildFileException(
                        where.apply(key), key + " must be a boolean, not \"" + b + "\"", "write true or false");
            }
        }
        // bunny's rule: the container rootfs is handed to the guest unless an initrd or a block
        // rootfs mounted at / already provides the root filesystem.
        if (!v.containsKey(UruncKeys.MOUNT_ROOTFS)
                && !v.containsKey(UruncKeys.INITRD)
                && !"/".equals(v.get(UruncKeys.BLK_MNT_POINT))) {
            v.put(UruncKeys.MOUNT_ROOTFS, "true");
        }
        return Optional.of(new UruncMetadata(v));
    }

    /** "linux (or unikraft, rumprun, ...)": the first name, then the others. */
    static String hint(List<String> names) {
        return names.getFirst() + " (or " + String.join(", ", names.subList(1, names.size())) + ")";
    }

    /** A name the runtime does not run would only fail at create; say so at the line that set it. */
    private static void known(
            Map<String, String> v,
            String key,
            Predicate<String> known,
            List<String> names,
            Function<String, Location> where) {
        String name = v.get(key);
        if (!known.test(name)) {
            throw new BuildFileException(
                    where.apply(key),
                    key + " \"" + name + "\" is not one jurunc runs",
                    "use one of " + String.join(", ", names));
        }
    }

    private static void require(Map<String, String> v, String key, Location at, String fix) {
        if (!v.containsKey(key)) {
            throw new BuildFileException(at, "missing required urunc key " + key, fix);
        }
    }

    /** urunc's path rules: safe characters, clean, absolute-or-relative but not escaping, at most 4096. */
    static void checkPath(String key, String p, Location at, boolean rootAllowed) {
        String fix = "use a clean path such as /.boot/kernel (letters, digits, . _ / - only)";
        if (p.length() > 4096 || !PATH.matcher(p).matches()) {
            throw new BuildFileException(at, key + " \"" + p + "\" has characters urunc rejects", fix);
        }
        if (p.startsWith("..")
                || p.startsWith("-")
                || p.equals(".")
                || (p.equals("/") && !rootAllowed)
                || !p.equals(clean(p))) {
            throw new BuildFileException(at, key + " \"" + p + "\" is not a clean path", fix);
        }
    }

    static String clean(String p) {
        if (p.equals("/")) {
            return p;
        }
        String c = java.nio.file.Path.of(p).normalize().toString();
        return c.isEmpty() ? "." : c;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** {@code /urunc.json}: every key with its value base64-encoded (StdEncoding), keys sorted. */
    public byte[] uruncJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        values.forEach((k, val) -> n.put(k, UruncValue.encode(val)));
        return Json.bytes(n);
    }
}
