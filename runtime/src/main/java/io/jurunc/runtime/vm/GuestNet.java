package io.jurunc.runtime.vm;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The guest's network: a tap in the container's netns, redirected to the container interface,
 * whose address, prefix, gateway and MAC the guest takes over.
 */
public record GuestNet(
        String tapName,
        String containerInterface,
        Inet4Address ip,
        int prefixLength,
        Inet4Address gateway,
        String mac,
        int mtu) {
    public GuestNet {
        Objects.requireNonNull(tapName, "tapName");
        Objects.requireNonNull(containerInterface, "containerInterface");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }

    /** The dotted-decimal netmask for the prefix, e.g. 255.255.255.0 for 24. */
    public String netmask() {
        long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        return ((mask >> 24) & 0xFF) + "." + ((mask >> 16) & 0xFF) + "." + ((mask >> 8) & 0xFF) + "." + (mask & 0xFF);
    }

    /** The gateway as text, or empty when there is none. */
    public String gatewayText() {
        return gateway == null ? "" : gateway.getHostAddress();
    }
}
