package io.jurunc.vaccel;

import java.util.List;

/**
 * vAccel's current plugin selection ({@code plugin_find(hint)}), over the plugins in load order:
 * <ol>
 *   <li>REMOTE in the hint: the first transport plugin, else an error;</li>
 *   <li>other hint bits: the first plugin whose type shares a bit with the hint;</li>
 *   <li>otherwise the first non-transport plugin; a single loaded plugin is used even if it is a transport.</li>
 * </ol>
 */
final class PluginSelector {
    private PluginSelector() {}

    static Plugin select(int flags, List<Plugin> loaded) {
        if (loaded.isEmpty()) {
            throw new VaccelException(
                    Errno.ENOENT, "no vAccel plugin is loaded; set VACCEL_PLUGINS (e.g. VACCEL_PLUGINS=noop)");
        }
        if ((flags & PluginType.REMOTE) != 0) {
            return loaded.stream()
                    .filter(p -> p.info().transport())
                    .findFirst()
                    .orElseThrow(
                            () -> new VaccelException(
                                    Errno.ENOTSUP,
                                    "a remote session was asked for but no transport (VirtIO) plugin is loaded; add rpc to VACCEL_PLUGINS"));
        }
        int hint = flags & ~PluginType.REMOTE & PluginType.ALL;
        if (hint != 0) {
            for (Plugin p : loaded) {
                if ((p.info().type() & hint) != 0) {
                    return p;
                }
            }
        }
        if (loaded.size() == 1) {
            return loaded.getFirst();
        }
        return loaded.stream().filter(p -> !p.info().transport()).findFirst().orElse(loaded.getFirst());
    }
}
