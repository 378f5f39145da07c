package io.jurunc.vaccel;

/**
 * What a plugin declares ({@code struct vaccel_plugin_info}): its name (the one {@code VACCEL_PLUGINS}
 * selects, e.g. {@code noop}), its version, the vAccel API version it was built for, its type bits
 * and whether it is a transport ("virtio") plugin.
 */
public record PluginInfo(String name, String version, String vaccelVersion, int type, boolean transport) {
    public PluginInfo {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new VaccelException.InvalidArgumentException("a plugin must declare a name and a version");
        }
    }
}
