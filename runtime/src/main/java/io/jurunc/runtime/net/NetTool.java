package io.jurunc.runtime.net;

import java.util.List;
import java.util.Set;

/**
 * Everything iproute2-ish the runtime does to a network namespace. Each method acts inside {@code
 * netns}. The real implementation ({@link IpRoute2NetTool}) runs {@code ip}/{@code tc} there; tests
 * use a recording fake. Each method's documentation gives the equivalent command.
 */
public interface NetTool {
    /**
     * Links with their IPv4 addresses, and the IPv4 default routes: {@code ip -d -j addr show} and
     * {@code ip -j route show default}.
     */
    NetnsState inspect(NetnsRef netns) throws NetOperationException;

    /** The devices that have an ingress qdisc: {@code tc -j qdisc show}. */
    Set<String> ingressQdiscDevices(NetnsRef netns) throws NetOperationException;

    /**
     * The devices that the ingress filters of {@code dev} redirect to with mirred, {@code "*"} for a
     * redirect whose target was deleted: {@code tc -j filter show dev DEV ingress}.
     */
    List<String> ingressRedirectTargets(NetnsRef netns, String dev) throws NetOperationException;

    /** {@code ip link set dev TAP mtu MTU alias ALIAS up}. */
    void configureTap(NetnsRef netns, String tap, int mtu, String alias) throws NetOperationException;

    /** {@code tc qdisc add dev DEV ingress}; fails if DEV already has one. */
    void addIngressQdisc(NetnsRef netns, String dev) throws NetOperationException;

    /** {@code tc qdisc del dev DEV ingress} (its filters go with it). */
    void deleteIngressQdisc(NetnsRef netns, String dev) throws NetOperationException;

    /**
     * Redirects everything arriving on {@code from} to the egress of {@code to}: {@code tc filter add
     * dev FROM parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev TO}.
     */
    void addIngressRedirect(NetnsRef netns, String from, String to) throws NetOperationException;

    /** {@code ip link del dev DEV}. */
    void deleteLink(NetnsRef netns, String dev) throws NetOperationException;
}
