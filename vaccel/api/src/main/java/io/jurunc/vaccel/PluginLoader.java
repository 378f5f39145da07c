package io.jurunc.vaccel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the configured plugins in {@code VACCEL_PLUGINS} order from the discovered candidates, checks
 * versions and runs {@code init}. The first plugin that fails aborts loading (after {@code fini} of the
 * ones already started), as vAccel's bootstrap does.
 */
final class PluginLoader {
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(.*)");

    private PluginLoader() {}

    /** {@code /usr/lib/libvaccel-noop.so}, {@code libvaccel-noop.so} and {@code noop} all name plugin {@code noop}. */
    static String pluginName(String entry) {
        String s = entry.substring(entry.lastIndexOf('/') + 1);
        if (s.startsWith("libvaccel-")) {
            s = s.substring("libvaccel-".length());
        }
        int so = s.indexOf(".so");
        if (so > 0) {
            s = s.substring(0, so);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    static List<Plugin> load(VaccelConfig config, Iterable<Plugin> candidates, PluginContext context) {
        Map<String, Plugin> byName = new LinkedHashMap<>();
        for (Plugin p : candidates) {
            byName.putIfAbsent(p.info().name().toLowerCase(Locale.ROOT), p);
        }
        List<Plugin> loaded = new ArrayList<>();
        for (String entry : config.plugins()) {
            String name = pluginName(entry);
            Plugin p = byName.get(name);
            try {
                if (p == null) {
                    throw new VaccelException(
                            Errno.ELIBBAD,
                            "plugin '" + entry + "' not found; available: " + byName.keySet()
                                    + " (put its jar on the class path)");
                }
                if (loaded.contains(p)) {
                    context.log().warn("plugin " + name + " listed twice; loading it once");
                    continue;
                }
                checkVersion(p, config.versionIgnore(), context);
                p.init(context);
                context.log()
                        .debug(() -> "Loaded plugin " + p.info().name() + " "
                                + p.info().version());
                loaded.add(p);
            } catch (RuntimeException e) {
                for (int i = loaded.size() - 1; i >= 0; i--) {
                    finiQuietly(loaded.get(i), context, e);
                }
                if (e instanceof VaccelException ve) {
                    throw ve;
                }
                throw new VaccelException(
                        Errno.ELIBBAD, "plugin " + name + " failed to initialise: " + e.getMessage(), e);
            }
        }
        return List.copyOf(loaded);
    }

    static void finiQuietly(Plugin p, PluginContext context, Throwable primary) {
        try {
            p.fini();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                context.log().warn("plugin " + p.info().name() + " fini failed: " + e.getMessage());
            }
        }
    }

    /** A different major version is refused; other differences only warn. */
    static void checkVersion(Plugin p, boolean ignore, PluginContext context) {
        if (ignore) {
            return;
        }
        String want = p.info().vaccelVersion();
        if (want == null) {
            throw new VaccelException.InvalidArgumentException("plugin "
                    + p.info().name() + " declares no vAccel version; set VACCEL_VERSION_IGNORE=1 to load it anyway");
        }
        Matcher pm = VERSION.matcher(want);
        Matcher cm = VERSION.matcher(Vaccel.VERSION);
        if (!pm.matches() || !cm.matches()) {
            throw new VaccelException.InvalidArgumentException(
                    "plugin " + p.info().name() + " has an unparsable vAccel version '" + want + "'");
        }
        if (!pm.group(1).equals(cm.group(1))) {
            throw new VaccelException.InvalidArgumentException(
                    "plugin " + p.info().name() + " was built for vAccel " + want + ", incompatible with "
                            + Vaccel.VERSION + " (set VACCEL_VERSION_IGNORE=1 to force)");
        }
        if (!want.replaceFirst("^v", "").equals(Vaccel.VERSION)) {
            context.log()
                    .warn("plugin " + p.info().name() + " was built for vAccel " + want + ", core is "
                            + Vaccel.VERSION);
        }
    }
}
