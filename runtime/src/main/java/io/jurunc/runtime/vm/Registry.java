package io.jurunc.runtime.vm;

import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The guest types and monitors, loaded once from their registry files ({@code
 * META-INF/services/io.jurunc.runtime.vm.GuestType} and {@code ...MonitorType}): one line per
 * implementation, in the order they are listed there. This package never names an implementation.
 */
final class Registry {
    static final List<GuestType> GUESTS = load(GuestType.class);
    static final List<MonitorType> MONITORS = load(MonitorType.class);

    private Registry() {}

    private static <T> List<T> load(Class<T> type) {
        List<T> out = ServiceLoader.load(type, Registry.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        if (out.isEmpty()) throw new IllegalStateException("no " + type.getSimpleName() + " is registered");
        return out;
    }

    /**
     * The entry whose key or alias is {@code value}, compared in lower case with '_' read as '-' (so
     * an older state file's enum names, e.g. CLOUD_HYPERVISOR, still resolve).
     */
    static <T> T find(
            List<T> all, Function<T, String> key, Function<T, List<String>> aliases, String value, String what) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (T t : all) {
            if (key.apply(t).equals(v) || aliases.apply(t).contains(v)) return t;
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "'; expected one of "
                + all.stream().map(key).collect(Collectors.joining(", ")));
    }
}
