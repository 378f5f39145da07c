package io.jurunc.ttrpc;

/**
 * Which ttrpc implementation a server answers like, for the statuses the protocol leaves to the
 * implementation. The framing and envelopes are the same in both.
 */
public enum TtrpcDialect {
    /**
     * containerd/ttrpc (Go): an unknown service or method is {@code UNIMPLEMENTED "service X"} /
     * {@code "method X"}; an oversized message is {@code RESOURCE_EXHAUSTED}. What containerd expects.
     */
    GO,
    /**
     * ttrpc-rust (and vAccel's fork of it): an unknown service or method is
     * {@code INVALID_ARGUMENT "/<service>/<method> does not exist"}; an oversized message is
     * {@code INVALID_ARGUMENT "message length N exceed maximum message size of M"}. What vAccel's clients
     * see from their agent.
     */
    RUST
}
