package io.jurunc.runtime.net;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A recording fake of one network namespace, standing in for both {@link NetTool} and {@link
 * TunTap}. It keeps a small model (links, default routes, ingress qdiscs and redirects) that
 * behaves like the kernel where setup relies on it (e.g. a second ingress qdisc is refused), and
 * records each call as the equivalent ip/tc command. Failures can be injected per command.
 */
final class FakeNetns implements NetTool, TunTap {
    /** A link of the model; mutable, copied out by {@link #snapshot()}. */
    static final class Link {
        final String name;
        int mtu;
        String mac;
        boolean loopback;
        String kind;
        String alias = "";
        boolean up;
        boolean ingressQdisc;
        final List<String> redirects = new ArrayList<>();
        final List<Ipv4Address> ipv4 = new ArrayList<>();
        Optional<TapOwner> owner = Optional.empty();

        Link(String name, int mtu, String mac, String kind) {
            this.name = name;
            this.mtu = mtu;
            this.mac = mac;
            this.kind = kind;
        }

        String describe() {
            return name + " mtu=" + mtu + " up=" + up + " alias=" + alias + " ingress=" + ingressQdisc + " redirects="
                    + redirects + " owner=" + owner;
        }
    }

    final Map<String, Link> links = new LinkedHashMap<>();
    final List<DefaultRoute> routes = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    private Predicate<String> failing = c -> false;
    boolean gone;

    /** lo plus an {@code eth0} with 10.213.0.2/24, MTU 1450, default route via 10.213.0.1. */
    static FakeNetns typical() {
        FakeNetns ns = new FakeNetns();
        Link lo = ns.addLink("lo", 65536, "", "");
        lo.loopback = true;
        lo.ipv4.add(new Ipv4Address(ip("127.0.0.1"), 8, false));
        ns.addLink("eth0", 1450, "0a:58:0a:d5:00:02", "veth").ipv4.add(new Ipv4Address(ip("10.213.0.2"), 24, false));
        ns.routes.add(new DefaultRoute("eth0", Optional.of(ip("10.213.0.1"))));
        return ns;
    }

    Link addLink(String name, int mtu, String mac, String kind) {
        Link link = new Link(name, mtu, mac, kind);
        links.put(name, link);
        return link;
    }

    /** Commands whose recorded text matches {@code which} fail (as the real tool would). */
    FakeNetns failWhen(Predicate<String> which) {
        this.failing = which;
        return this;
    }

    /** Everything observable, for before/after comparisons. */
    List<String> snapshot() {
        return links.values().stream().map(Link::describe).toList();
    }

    private void record(String command) throws NetOperationException {
        if (gone) {
            calls.add(command + "  # netns gone");
            throw NetOperationException.netnsGone(NetnsRef.of("/fake"), null);
        }
        calls.add(command);
        if (failing.test(command)) {
            throw new NetOperationException("'" + command + "' exited with 2: injected failure");
        }
    }

    private Link link(String name, String command) throws NetOperationException {
        Link link = links.get(name);
        if (link == null) {
            throw new NetOperationException("'" + command + "': Cannot find device \"" + name + "\"");
        }
        return link;
    }

    @Override
    public NetnsState inspect(NetnsRef netns) throws NetOperationException {
        record("ip -d -j addr show; ip -j route show default");
        List<LinkInfo> infos = links.values().stream()
                .map(l -> new LinkInfo(l.name, l.mtu, l.mac, l.loopback, l.kind, l.alias, l.ipv4))
                .toList();
        return new NetnsState(infos, routes);
    }

    @Override
    public Set<String> ingressQdiscDevices(NetnsRef netns) throws NetOperationException {
        record("tc -j qdisc show");
        Set<String> devs = new LinkedHashSet<>();
        links.values().stream().filter(l -> l.ingressQdisc).forEach(l -> devs.add(l.name));
        return devs;
    }

    @Override
    public List<String> ingressRedirectTargets(NetnsRef netns, String dev) throws NetOperationException {
        String command = "tc -j filter show dev " + dev + " ingress";
        record(command);
        return List.copyOf(link(dev, command).redirects);
    }

    @Override
    public void configureTap(NetnsRef netns, String tap, int mtu, String alias) throws NetOperationException {
        String command = "ip link set dev " + tap + " mtu " + mtu + " alias '" + alias + "' up";
        record(command);
        Link link = link(tap, command);
        link.mtu = mtu;
        link.alias = alias;
        link.up = true;
    }

    @Override
    public void addIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        String command = "tc qdisc add dev " + dev + " ingress";
        record(command);
        Link link = link(dev, command);
        if (link.ingressQdisc) {
            throw new NetOperationException(
                    "'" + command + "' exited with 2: Error: Exclusivity flag on," + " cannot modify.");
        }
        link.ingressQdisc = true;
    }

    @Override
    public void deleteIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        String command = "tc qdisc del dev " + dev + " ingress";
        record(command);
        Link link = link(dev, command);
        if (!link.ingressQdisc) {
            throw new NetOperationException("'" + command + "' exited with 2: Error: Invalid handle.");
        }
        link.ingressQdisc = false;
        link.redirects.clear();
    }

    @Override
    public void addIngressRedirect(NetnsRef netns, String from, String to) throws NetOperationException {
        String command = "tc filter add dev " + from + " parent ffff: protocol all u32 match u32 0 0"
                + " action mirred egress redirect dev " + to;
        record(command);
        Link link = link(from, command);
        link(to, command);
        if (!link.ingressQdisc) {
            throw new NetOperationException(
                    "'" + command + "' exited with 2: Error: Parent Qdisc doesn't" + " exists.");
        }
        link.redirects.add(to);
    }

    @Override
    public void deleteLink(NetnsRef netns, String dev) throws NetOperationException {
        String command = "ip link del dev " + dev;
        record(command);
        link(dev, command);
        links.remove(dev);
        // like mirred: a redirect to a deleted device points nowhere
        for (Link other : links.values()) {
            other.redirects.replaceAll(target -> target.equals(dev) ? "*" : target);
        }
    }

    @Override
    public void createTap(NetnsRef netns, String name, Optional<TapOwner> owner) throws NetOperationException {
        String command = "ip tuntap add dev " + name + " mode tap one_queue vnet_hdr"
                + owner.map(o -> " user " + o.uid() + " group " + o.gid()).orElse("");
        record(command);
        if (links.containsKey(name)) {
            throw new NetOperationException("creating tap " + name + ": ioctl failed: EBUSY");
        }
        Link tap = addLink(name, 1500, "7a:7b:54:83:a9:ba", "tun");
        tap.owner = owner;
    }

    static Inet4Address ip(String text) {
        try {
            return IpJson.ipv4(text);
        } catch (NetOperationException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
