package io.jurunc.vaccel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * vAccel's configuration ({@code struct vaccel_config}) plus the environment that plugins read their own
 * settings from (e.g. {@code VACCEL_EXEC_DLOPEN_MODE}, {@code VACCEL_RPC_ADDRESS}).
 *
 * @param plugins plugin names in priority order; entries may be sonames or paths as in {@code VACCEL_PLUGINS}
 *                ({@code /usr/lib/libvaccel-noop.so} means {@code noop})
 * @param logFile log file base name, or null for stdout
 * @param warnings deprecation warnings found while reading the environment, logged at bootstrap
 */
public record VaccelConfig(
        List<String> plugins,
        LogLevel logLevel,
        String logFile,
        boolean profilingEnabled,
        boolean versionIgnore,
        Map<String, String> env,
        List<String> warnings) {
    public VaccelConfig {
        plugins = List.copyOf(plugins);
        Objects.requireNonNull(logLevel, "logLevel");
        env = Map.copyOf(env);
        warnings = List.copyOf(warnings);
    }

    /** A config with the given plugins and defaults elsewhere (log level ERROR, no profiling). */
    public static VaccelConfig of(String... plugins) {
        return new VaccelConfig(List.of(plugins), LogLevel.ERROR, null, false, false, Map.of(), List.of());
    }

    public VaccelConfig withProfiling(boolean on) {
        return new VaccelConfig(plugins, logLevel, logFile, on, versionIgnore, env, warnings);
    }

    public VaccelConfig withLogLevel(LogLevel l) {
        return new VaccelConfig(plugins, l, logFile, profilingEnabled, versionIgnore, env, warnings);
    }

    public VaccelConfig withEnv(Map<String, String> e) {
        return new VaccelConfig(plugins, logLevel, logFile, profilingEnabled, versionIgnore, e, warnings);
    }

    public String envOr(String key, String fallback) {
        return env.getOrDefault(key, fallback);
    }

    /** Reads {@code VACCEL_*} variables, honouring the deprecated aliases (each one adds a warning). */
    public static VaccelConfig fromEnvironment(Map<String, String> env) {
        List<String> warnings = new ArrayList<>();
        String plugins = pick(env, "VACCEL_PLUGINS", "VACCEL_BACKENDS", warnings);
        String level = pick(env, "VACCEL_LOG_LEVEL", "VACCEL_DEBUG_LEVEL", warnings);
        String ignore = pick(env, "VACCEL_VERSION_IGNORE", "VACCEL_IGNORE_VERSION", warnings);
        return new VaccelConfig(
                splitPlugins(plugins == null ? "" : plugins),
                level == null ? LogLevel.ERROR : LogLevel.of(parseUnsigned("VACCEL_LOG_LEVEL", level)),
                blankToNull(env.get("VACCEL_LOG_FILE")),
                parseBool("VACCEL_PROFILING_ENABLED", env.get("VACCEL_PROFILING_ENABLED")),
                parseBool("VACCEL_VERSION_IGNORE", ignore),
                env,
                warnings);
    }

    /**
     * Parses the agent's {@code --vaccel-config} string: {@code plugins=a:b,log_level=4,log_file=f,
     * profiling_enabled=true,version_ignore=false}. Keys not given keep the values of {@code base}.
     */
    public static VaccelConfig parse(String spec, VaccelConfig base) {
        VaccelConfig c = base;
        for (String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new VaccelException.InvalidArgumentException(
                        "vaccel config item '" + item + "' is not key=value");
            }
            String k = item.substring(0, eq).trim();
            String v = item.substring(eq + 1).trim();
            c = switch (k) {
                case "plugins" ->
                    new VaccelConfig(
                            splitPlugins(v),
                            c.logLevel,
                            c.logFile,
                            c.profilingEnabled,
                            c.versionIgnore,
                            c.env,
                            c.warnings);
                case "log_level" -> c.withLogLevel(LogLevel.of(parseUnsigned(k, v)));
                case "log_file" ->
                    new VaccelConfig(
                            c.plugins,
                            c.logLevel,
                            blankToNull(v),
                            c.profilingEnabled,
                            c.versionIgnore,
                            c.env,
                            c.warnings);
                case "profiling_enabled" -> c.withProfiling(parseBool(k, v));
                case "version_ignore" ->
                    new VaccelConfig(
                            c.plugins, c.logLevel, c.logFile, c.profilingEnabled, parseBool(k, v), c.env, c.warnings);
                default ->
                    throw new VaccelException.InvalidArgumentException("unknown vaccel config key '" + k
                            + "' (known: plugins, log_level, log_file, profiling_enabled, version_ignore)");
            };
        }
        return c;
    }

    private static String pick(Map<String, String> env, String key, String deprecated, List<String> warnings) {
        String v = env.get(key);
        if (v == null && env.get(deprecated) != null) {
            warnings.add(deprecated + " is deprecated; use " + key);
            v = env.get(deprecated);
        }
        return v;
    }

    static List<String> splitPlugins(String s) {
        return Arrays.stream(s.split(":"))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static long parseUnsigned(String key, String v) {
        try {
            return Long.parseUnsignedLong(v.trim());
        } catch (NumberFormatException e) {
            throw new VaccelException.InvalidArgumentException(key + "='" + v + "' is not a number");
        }
    }

    /** vAccel parses booleans with strtoul (non-zero = true); like the exec plugin we also take true/false. */
    static boolean parseBool(String key, String v) {
        if (v == null || v.isBlank()) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        return parseUnsigned(key, s) != 0;
    }

    /** Reads a boolean plugin setting from the environment (for plugins). */
    public boolean envFlag(String key, boolean fallback) {
        String v = env.get(key);
        return v == null ? fallback : parseBool(key, v);
    }
}
