package io.jurunc.e2e.support;

/** A test network the host reaches through a bridge of its own. */
public interface RoutedNetwork {

    String bridge();

    /**
     * Whether the host routes {@code ip} through {@link #bridge()} right now. Until then, traffic to
     * the address would follow the default route off the machine, so nothing may be sent before.
     */
    boolean routesViaBridge(String ip);
}
