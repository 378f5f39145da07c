package io.jurunc.runtime.net;

import java.net.Inet4Address;
import java.util.Objects;

/** An IPv4 address on a link, with its prefix length; secondary addresses are flagged. */
public record Ipv4Address(Inet4Address address, int prefixLength, boolean secondary) {
    public Ipv4Address {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }
}
