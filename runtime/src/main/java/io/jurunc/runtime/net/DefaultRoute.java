package io.jurunc.runtime.net;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/** An IPv4 default route of the main table: its device and gateway (none for on-link routes). */
public record DefaultRoute(String dev, Optional<Inet4Address> gateway) {
    public DefaultRoute {
        Objects.requireNonNull(dev, "dev");
        Objects.requireNonNull(gateway, "gateway");
    }
}
