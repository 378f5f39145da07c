package io.jurunc.builder.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.builder.Timings;
import io.jurunc.builder.image.BaseLayers;
import io.jurunc.builder.image.BlobStore;
import io.jurunc.builder.image.Descriptor;
import io.jurunc.builder.image.Digest;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import io.jurunc.builder.layer.TarLayerWriter;
import io.jurunc.builder.plan.ConfigChanges;
import io.jurunc.builder.plan.ImagePlan;
import io.jurunc.builder.plan.LayerSpec;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a plan's layers, then its config and manifest, into a blob store. Also writes the index
 * for multi-platform builds. Timestamps are fixed by the caller, so output is reproducible.
 */
public final class ImageAssembler {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final BlobStore store;
    private final Instant created;
    private final TarLayerWriter layers;
    private final Timings timings;

    /**
     * @param created the image's {@code created} time; file mtimes are this time, or epoch+1s when it
     *                is the epoch (some tools treat a zero mtime as "unset")
     */
    public ImageAssembler(BlobStore store, Instant created, int compressionLevel) {
        this(store, created, compressionLevel, new Timings());
    }

    public ImageAssembler(BlobStore store, Instant created, int compressionLevel, Timings timings) {
        this.store = store;
        this.created = created;
        this.timings = timings;
        Instant mtime = created.equals(Instant.EPOCH) ? Instant.ofEpochSecond(1) : created;
        this.layers = new TarLayerWriter(store, mtime, compressionLevel, timings);
    }

    /** Returns the manifest descriptor, carrying the platform. */
    public Descriptor assemble(ImagePlan plan, BaseLayers base) {
        List<Descriptor> layerDescs = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        List<String> history = new ArrayList<>();
        if (base != null) {
            layerDescs.addAll(base.layers());
            diffIds.addAll(base.diffIds());
        }
        for (LayerSpec spec : plan.layers()) {
            TarLayerWriter.Layer l = layers.write(spec);
            layerDescs.add(l.blob());
            diffIds.add(l.diffId());
            history.add(l.createdBy());
        }
        long t0 = System.nanoTime();
        ObjectNode config = config(plan, base, diffIds, history);
        Descriptor cfg = store.put(Json.bytes(config), MediaTypes.OCI_CONFIG);
        ObjectNode m = F.objectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", cfg.toJson());
        ArrayNode ls = m.putArray("layers");
        layerDescs.forEach(d -> ls.add(d.toJson()));
        if (!plan.annotations().isEmpty()) {
            ObjectNode a = m.putObject("annotations");
            plan.annotations().forEach(a::put);
        }
        Descriptor manifest = store.put(Json.bytes(m), MediaTypes.OCI_MANIFEST).withPlatform(plan.platform());
        timings.add("config and manifest", System.nanoTime() - t0);
        return manifest;
    }

    public Descriptor index(List<Descriptor> manifests, Map<String, String> annotations) {
        ObjectNode idx = F.objectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode ms = idx.putArray("manifests");
        manifests.forEach(d -> ms.add(d.toJson()));
        if (!annotations.isEmpty()) {
            ObjectNode a = idx.putObject("annotations");
            new java.util.TreeMap<>(annotations).forEach(a::put);
        }
        return store.put(Json.bytes(idx), MediaTypes.OCI_INDEX);
    }

    private ObjectNode config(ImagePlan plan, BaseLayers base, List<Digest> diffIds, List<String> history) {
        String time = DateTimeFormatter.ISO_INSTANT.format(created);
        ObjectNode cfg = base != null ? base.config().deepCopy() : F.objectNode();
        cfg.put("created", time);
        cfg.put("architecture", plan.platform().architecture());
        cfg.put("os", plan.platform().os());
        if (plan.platform().variant() != null) {
            cfg.put("variant", plan.platform().variant());
        } else {
            cfg.remove("variant");
        }
        ObjectNode c = cfg.has("config") && cfg.get("config").isObject()
                ? (ObjectNode) cfg.get("config")
                : cfg.putObject("config");
        ConfigChanges ch = plan.config();
        if (ch.user() != null) {
            c.put("User", ch.user());
        }
        if (!ch.exposedPorts().isEmpty()) {
            ObjectNode ports = c.has("ExposedPorts") && c.get("ExposedPorts").isObject()
                    ? (ObjectNode) c.get("ExposedPorts")
                    : c.putObject("ExposedPorts");
            ch.exposedPorts().forEach(p -> ports.putObject(p));
        }
        if (!ch.env().isEmpty()) {
            Map<String, String> env = new LinkedHashMap<>();
            for (JsonNode e : c.path("Env")) {
                String s = e.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
            env.putAll(ch.env());
            ArrayNode arr = c.putArray("Env");
            env.forEach((k, v) -> arr.add(k + "=" + v));
        }
        if (ch.entrypoint() != null) {
            strings(c.putArray("Entrypoint"), ch.entrypoint());
        }
        if (ch.cmd() != null) {
            strings(c.putArray("Cmd"), ch.cmd());
        } else if (ch.resetCmd()) {
            c.remove("Cmd");
        }
        if (ch.workingDir() != null) {
            c.put("WorkingDir", ch.workingDir());
        }
        if (!ch.labels().isEmpty()) {
            ObjectNode labels = c.has("Labels") && c.get("Labels").isObject()
                    ? (ObjectNode) c.get("Labels")
                    : c.putObject("Labels");
            ch.labels().forEach(labels::put);
        }
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        ArrayNode h = cfg.has("history") && cfg.get("history").isArray()
                ? (ArrayNode) cfg.get("history")
                : cfg.putArray("history");
        for (String line : history) {
            ObjectNode e = h.addObject();
            e.put("created", time);
            e.put("created_by", line);
        }
        return cfg;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
