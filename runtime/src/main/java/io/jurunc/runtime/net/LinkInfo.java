package io.jurunc.runtime.net;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One link of a network namespace, as {@code ip -d -j addr show} reports it.
 *
 * @param name the interface name
 * @param mtu its MTU
 * @param mac its hardware address (lower case, colon separated); empty for links without one
 * @param loopback whether it is a loopback device
 * @param kind the link kind ({@code veth}, {@code tun}, ...); empty when the kernel reports none
 * @param alias the link alias ({@code ip link set ... alias}); empty when unset
 * @param ipv4 its IPv4 addresses in the kernel's order (primary addresses first)
 */
public record LinkInfo(
        String name, int mtu, String mac, boolean loopback, String kind, String alias, List<Ipv4Address> ipv4) {
    public LinkInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alias, "alias");
        ipv4 = List.copyOf(ipv4);
    }

    /** The first primary IPv4 address. */
    public Optional<Ipv4Address> primaryIpv4() {
        return ipv4.stream().filter(a -> !a.secondary()).findFirst();
    }
}
