package io.jurunc.ttrpc;

import io.jurunc.ttrpc.proto.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Request metadata ({@code ttrpc.Request.metadata}): a multimap of lower-cased keys to values, like ttrpc's
 * {@code MD}. Immutable.
 */
public record Metadata(Map<String, List<String>> entries) {
    private static final Metadata EMPTY = new Metadata(Map.of());

    public Metadata {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.merge(normalise(k), List.copyOf(v), Metadata::concat));
        entries = Collections.unmodifiableMap(copy);
    }

    public static Metadata empty() {
        return EMPTY;
    }

    public static Metadata of(String key, String value) {
        return new Metadata(Map.of(key, List.of(value)));
    }

    /** A copy with {@code value} appended to the values of {@code key}. */
    public Metadata with(String key, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(entries);
        copy.merge(normalise(key), List.of(value), Metadata::concat);
        return new Metadata(copy);
    }

    /** All values of {@code key} (case-insensitive), in the order sent. */
    public List<String> get(String key) {
        return entries.getOrDefault(normalise(key), List.of());
    }

    /** The first value of {@code key}, if any. */
    public Optional<String> first(String key) {
        return get(key).stream().findFirst();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    static Metadata fromKeyValues(List<KeyValue> pairs) {
        if (pairs.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (KeyValue kv : pairs) {
            map.computeIfAbsent(normalise(kv.getKey()), k -> new ArrayList<>()).add(kv.getValue());
        }
        return new Metadata(map);
    }

    List<KeyValue> toKeyValues() {
        List<KeyValue> out = new ArrayList<>();
        entries.forEach((k, values) -> values.forEach(
                v -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build())));
        return out;
    }

    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
