package io.jurunc.runtime.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link NetTool} over rtnetlink, through the runtime's FFM system calls: the same operations as
 * the iproute2 commands in {@link NetTool}'s documentation, built as netlink messages (links,
 * addresses and routes; the ingress qdiscs; u32 match-all filters with a mirred egress redirect),
 * with no {@code ip} or {@code tc} process.
 */
final class NetlinkNetTool implements NetTool {
    // rtnetlink message types (linux/rtnetlink.h)
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_GETQDISC = 38;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_GETTFILTER = 46;

    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int IFF_UP = 0x1;
    static final int IFF_LOOPBACK = 0x8;
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_LOOPBACK = 772;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_IFALIAS = 20;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_SECONDARY = 0x1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;
    static final int RT_TABLE_MAIN = 254;
    static final int RTN_UNICAST = 1;

    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TC_H_INGRESS = 0xFFFFFFF1;
    static final int INGRESS_HANDLE = 0xFFFF0000;
    /** {@code htons(ETH_P_ALL)} in the low 16 bits of tcm_info, priority 0 (the kernel picks one). */
    static final int PROTOCOL_ALL = 0x0300;

    static final int TCA_U32_SEL = 5;
    static final int TCA_U32_ACT = 7;
    static final int TC_U32_TERMINAL = 0x1;
    static final int TCA_ACT_KIND = 1;
    static final int TCA_ACT_OPTIONS = 2;
    static final int TCA_MIRRED_PARMS = 2;
    static final int TC_ACT_STOLEN = 4;
    static final int TCA_EGRESS_REDIR = 1;
    static final int TCA_INGRESS_REDIR = 4;
    /** Where each classifier keeps its actions. */
    private static final Map<String, Integer> ACTIONS_ATTR =
            Map.of("u32", TCA_U32_ACT, "matchall", 2, "flower", 3, "basic", 3, "bpf", 1);

    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;
    private static final int RTMSG = 12;
    private static final int TCMSG = 20;

    private final NetlinkSessions sessions;

    NetlinkNetTool(NetlinkSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public NetnsState inspect(NetnsRef netns) throws NetOperationException {
        return sessions.inNetns(netns, ch -> {
            List<NetlinkReply> links = dumpLinks(ch);
            List<NetlinkReply> addrs = ch.exchange(
                    new NetlinkMessage(RTM_GETADDR, dumpFlags()).body(ifaddrmsg(AF_INET)), true, "ip -4 addr show");
            List<NetlinkReply> routes = ch.exchange(
                    new NetlinkMessage(RTM_GETROUTE, dumpFlags()).body(rtmsg(AF_INET)), true, "ip -4 route show");
            return state(links, addrs, routes);
        });
    }

    @Override
    public Set<String> ingressQdiscDevices(NetnsRef netns) throws NetOperationException {
        return sessions.inNetns(netns, ch -> {
            Map<Integer, String> names = names(dumpLinks(ch));
            Set<String> devices = new LinkedHashSet<>();
            for (NetlinkReply r : ch.exchange(
                    new NetlinkMessage(RTM_GETQDISC, dumpFlags()).body(tcmsg(0, 0, 0, 0)), true, "tc qdisc show")) {
                r.requireHeader(TCMSG);
                int ifindex = r.buffer().getInt(4);
                if ("ingress"
                                .equals(NetlinkReply.string(r.attributes(TCMSG), TCA_KIND)
                                        .orElse(""))
                        && names.containsKey(ifindex)) {
                    devices.add(names.get(ifindex));
                }
            }
            return devices;
        });
    }

    @Override
    public List<String> ingressRedirectTargets(NetnsRef netns, String dev) throws NetOperationException {
        return sessions.inNetns(netns, ch -> {
            Map<Integer, String> names = names(dumpLinks(ch));
            int ifindex = indexOf(names, dev);
            List<String> targets = new ArrayList<>();
            for (NetlinkReply r : ch.exchange(
                    new NetlinkMessage(RTM_GETTFILTER, dumpFlags()).body(tcmsg(ifindex, 0, INGRESS_HANDLE, 0)),
                    true,
                    "tc filter show dev " + dev + " ingress")) {
                targets.addAll(redirectTargets(r, names));
            }
            return targets;
        });
    }

    @Override
    public void configureTap(NetnsRef netns, String tap, int mtu, String alias) throws NetOperationException {
        sessions.inNetns(
                netns,
                ch -> ch.exchange(
                        configureTapMessage(tap, mtu, alias),
                        false,
                        "ip link set dev " + tap + " mtu " + mtu + " alias '" + alias + "' up"));
    }

    @Override
    public void addIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        sessions.inNetns(
                netns,
                ch -> ch.exchange(
                        addIngressQdiscMessage(ifindex(ch, dev)), false, "tc qdisc add dev " + dev + " ingress"));
    }

    @Override
    public void deleteIngressQdisc(NetnsRef netns, String dev) throws NetOperationException {
        sessions.inNetns(
                netns,
                ch -> ch.exchange(
                        deleteIngressQdiscMessage(ifindex(ch, dev)), false, "tc qdisc del dev " + dev + " ingress"));
    }

    @Override
    public void addIngressRedirect(NetnsRef netns, String from, String to) throws NetOperationException {
        sessions.inNetns(netns, ch -> {
            int fromIndex = ifindex(ch, from);
            int toIndex = ifindex(ch, to);
            return ch.exchange(
                    redirectMessage(fromIndex, toIndex),
                    false,
                    "tc filter add dev " + from
                            + " parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev " + to);
        });
    }

    @Override
    public void deleteLink(NetnsRef netns, String dev) throws NetOperationException {
        sessions.inNetns(
                netns,
                ch -> ch.exchange(
                        new NetlinkMessage(RTM_DELLINK, ackFlags())
                                .body(ifinfomsg(0, 0, 0))
                                .attrString(IFLA_IFNAME, dev),
                        false,
                        "ip link del dev " + dev));
    }

    // ---- messages (package-private for the byte-level tests) ----

    static NetlinkMessage configureTapMessage(String tap, int mtu, String alias) {
        return new NetlinkMessage(RTM_NEWLINK, ackFlags())
                .body(ifinfomsg(0, IFF_UP, IFF_UP))
                .attrString(IFLA_IFNAME, tap)
                .attrU32(IFLA_MTU, mtu)
                .attrString(IFLA_IFALIAS, alias);
    }

    static NetlinkMessage addIngressQdiscMessage(int ifindex) {
        return new NetlinkMessage(RTM_NEWQDISC, createFlags())
                .body(tcmsg(ifindex, INGRESS_HANDLE, TC_H_INGRESS, 0))
                .attrString(TCA_KIND, "ingress")
                .attr(TCA_OPTIONS, new byte[0]);
    }

    static NetlinkMessage deleteIngressQdiscMessage(int ifindex) {
        return new NetlinkMessage(RTM_DELQDISC, ackFlags())
                .body(tcmsg(ifindex, 0, TC_H_INGRESS, 0))
                .attrString(TCA_KIND, "ingress");
    }

    /** u32 {@code match u32 0 0} (one key, mask 0: every packet) with {@code mirred egress redirect}. */
    static NetlinkMessage redirectMessage(int fromIndex, int toIndex) {
        ByteBuffer sel = NetlinkMessage.le(32);
        sel.put((byte) TC_U32_TERMINAL).put((byte) 0).put((byte) 1).put((byte) 0); // flags, offshift, nkeys
        // offmask, off, offoff, hoff, hmask, then the key: mask, val, off, offmask (all zero)
        ByteBuffer mirred = NetlinkMessage.le(28);
        mirred.putInt(0)
                .putInt(0)
                .putInt(TC_ACT_STOLEN)
                .putInt(0)
                .putInt(0) // tc_gen
                .putInt(TCA_EGRESS_REDIR)
                .putInt(toIndex);
        return new NetlinkMessage(RTM_NEWTFILTER, createFlags())
                .body(tcmsg(fromIndex, 0, INGRESS_HANDLE, PROTOCOL_ALL))
                .attrString(TCA_KIND, "u32")
                .nest(TCA_OPTIONS)
                .attr(TCA_U32_SEL, sel.array())
                .nest(TCA_U32_ACT)
                .nest(1)
                .attrString(TCA_ACT_KIND, "mirred")
                .nest(TCA_ACT_OPTIONS | NetlinkMessage.NLA_F_NESTED)
                .attr(TCA_MIRRED_PARMS, mirred.array())
                .end()
                .end()
                .end()
                .end();
    }

    static int dumpFlags() {
        return NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP;
    }

    static int ackFlags() {
        return NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;
    }

    static int createFlags() {
        return ackFlags() | NetlinkMessage.NLM_F_EXCL | NetlinkMessage.NLM_F_CREATE;
    }

    static byte[] ifinfomsg(int index, int flags, int change) {
        return NetlinkMessage.le(IFINFOMSG)
                .put((byte) AF_UNSPEC)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(index)
                .putInt(flags)
                .putInt(change)
                .array();
    }

    static byte[] ifaddrmsg(int family) {
        return NetlinkMessage.le(IFADDRMSG).put((byte) family).array();
    }

    static byte[] rtmsg(int family) {
        return NetlinkMessage.le(RTMSG).put((byte) family).array();
    }

    static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return NetlinkMessage.le(TCMSG)
                .put((byte) AF_UNSPEC)
                .put((byte) 0)
                .putShort((short) 0)
                .putInt(ifindex)
                .putInt(handle)
                .putInt(parent)
                .putInt(info)
                .array();
    }

    // ---- replies ----

    private static List<NetlinkReply> dumpLinks(NetlinkChannel ch) throws NetOperationException {
        return ch.exchange(new NetlinkMessage(RTM_GETLINK, dumpFlags()).body(ifinfomsg(0, 0, 0)), true, "ip link show");
    }

    /** The index of {@code dev}: {@code RTM_GETLINK} by name. */
    private static int ifindex(NetlinkChannel ch, String dev) throws NetOperationException {
        List<NetlinkReply> replies = ch.exchange(
                new NetlinkMessage(RTM_GETLINK, ackFlags())
                        .body(ifinfomsg(0, 0, 0))
                        .attrString(IFLA_IFNAME, dev),
                false,
                "ip link show dev " + dev);
        for (NetlinkReply r : replies) {
            if (r.type() == RTM_NEWLINK) {
                r.requireHeader(IFINFOMSG);
                return r.buffer().getInt(4);
            }
        }
        throw new NetOperationException("ip link show dev " + dev + ": the kernel returned no link");
    }

    private static int indexOf(Map<Integer, String> names, String dev) throws NetOperationException {
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue().equals(dev)) {
                return e.getKey();
            }
        }
        throw new NetOperationException("device " + dev + " does not exist");
    }

    private static Map<Integer, String> names(List<NetlinkReply> links) throws NetOperationException {
        Map<Integer, String> names = new HashMap<>();
        for (NetlinkReply r : links) {
            if (r.type() == RTM_NEWLINK) {
                r.requireHeader(IFINFOMSG);
                Optional<String> name = NetlinkReply.string(r.attributes(IFINFOMSG), IFLA_IFNAME);
                if (name.isPresent()) {
                    names.put(r.buffer().getInt(4), name.get());
                }
            }
        }
        return names;
    }

    static NetnsState state(List<NetlinkReply> links, List<NetlinkReply> addrs, List<NetlinkReply> routes)
            throws NetOperationException {
        Map<Integer, List<Ipv4Address>> byIndex = new HashMap<>();
        for (NetlinkReply r : addrs) {
            if (r.type() != RTM_NEWADDR) {
                continue;
            }
            r.requireHeader(IFADDRMSG);
            ByteBuffer h = r.buffer();
            if (Byte.toUnsignedInt(h.get(0)) != AF_INET) {
                continue;
            }
            int prefix = Byte.toUnsignedInt(h.get(1));
            int flags = Byte.toUnsignedInt(h.get(2));
            int index = h.getInt(4);
            Map<Integer, byte[]> a = r.attributes(IFADDRMSG);
            flags = NetlinkReply.u32(a, IFA_FLAGS).orElse(flags);
            byte[] local = a.containsKey(IFA_LOCAL) ? a.get(IFA_LOCAL) : a.get(IFA_ADDRESS);
            if (local == null) {
                continue;
            }
            if (prefix > 32) {
                throw new NetOperationException("address on link " + index + " has prefix length " + prefix);
            }
            byIndex.computeIfAbsent(index, k -> new ArrayList<>())
                    .add(new Ipv4Address(ipv4(local), prefix, (flags & IFA_F_SECONDARY) != 0));
        }
        Map<Integer, LinkInfo> byLink = new LinkedHashMap<>();
        for (NetlinkReply r : links) {
            if (r.type() != RTM_NEWLINK) {
                continue;
            }
            r.requireHeader(IFINFOMSG);
            ByteBuffer h = r.buffer();
            int arphrd = Short.toUnsignedInt(h.getShort(2));
            int index = h.getInt(4);
            int flags = h.getInt(8);
            Map<Integer, byte[]> a = r.attributes(IFINFOMSG);
            String name = NetlinkReply.string(a, IFLA_IFNAME)
                    .orElseThrow(() -> new NetOperationException("link " + index + " has no name"));
            byte[] hw = a.get(IFLA_ADDRESS);
            String mac = arphrd == ARPHRD_ETHER && hw != null ? mac(hw) : "";
            String kind = a.containsKey(IFLA_LINKINFO)
                    ? NetlinkReply.string(
                                    NetlinkReply.parseAttributes(a.get(IFLA_LINKINFO), 0, a.get(IFLA_LINKINFO).length),
                                    IFLA_INFO_KIND)
                            .orElse("")
                    : "";
            byLink.put(
                    index,
                    new LinkInfo(
                            name,
                            NetlinkReply.u32(a, IFLA_MTU).orElse(0),
                            mac,
                            arphrd == ARPHRD_LOOPBACK || (flags & IFF_LOOPBACK) != 0,
                            kind,
                            NetlinkReply.string(a, IFLA_IFALIAS).orElse(""),
                            byIndex.getOrDefault(index, List.of())));
        }
        List<DefaultRoute> defaults = new ArrayList<>();
        for (NetlinkReply r : routes) {
            if (r.type() != RTM_NEWROUTE) {
                continue;
            }
            r.requireHeader(RTMSG);
            ByteBuffer h = r.buffer();
            int dstLen = Byte.toUnsignedInt(h.get(1));
            int table = Byte.toUnsignedInt(h.get(4));
            int type = Byte.toUnsignedInt(h.get(7));
            Map<Integer, byte[]> a = r.attributes(RTMSG);
            table = NetlinkReply.u32(a, RTA_TABLE).orElse(table);
            Optional<Integer> oif = NetlinkReply.u32(a, RTA_OIF);
            if (dstLen != 0
                    || table != RT_TABLE_MAIN
                    || type != RTN_UNICAST
                    || oif.isEmpty()
                    || !byLink.containsKey(oif.get())) {
                continue;
            }
            byte[] gw = a.get(RTA_GATEWAY);
            defaults.add(new DefaultRoute(
                    byLink.get(oif.get()).name(), gw == null ? Optional.empty() : Optional.of(ipv4(gw))));
        }
        return new NetnsState(new ArrayList<>(byLink.values()), defaults);
    }

    /** The mirred redirect targets of one filter; {@code "*"} for a target that no longer exists. */
    static List<String> redirectTargets(NetlinkReply filter, Map<Integer, String> names) throws NetOperationException {
        List<String> targets = new ArrayList<>();
        if (filter.type() != RTM_NEWTFILTER) {
            return targets;
        }
        Map<Integer, byte[]> a = filter.attributes(TCMSG);
        String kind = NetlinkReply.string(a, TCA_KIND).orElse("");
        byte[] options = a.get(TCA_OPTIONS);
        if (options == null) {
            return targets;
        }
        Integer actAttr = ACTIONS_ATTR.get(kind);
        if (actAttr == null) {
            targets.add("?" + kind); // a classifier we do not read: never taken for ours
            return targets;
        }
        byte[] actions =
                NetlinkReply.parseAttributes(options, 0, options.length).get(actAttr);
        if (actions == null) {
            return targets;
        }
        for (byte[] action : NetlinkReply.nestedInOrder(actions)) {
            Map<Integer, byte[]> act = NetlinkReply.parseAttributes(action, 0, action.length);
            if (!"mirred".equals(NetlinkReply.string(act, TCA_ACT_KIND).orElse(""))
                    || !act.containsKey(TCA_ACT_OPTIONS)) {
                continue;
            }
            byte[] opts = act.get(TCA_ACT_OPTIONS);
            byte[] parms = NetlinkReply.parseAttributes(opts, 0, opts.length).get(TCA_MIRRED_PARMS);
            if (parms == null || parms.length < 28) {
                throw new NetOperationException("mirred action without its parameters");
            }
            ByteBuffer p = ByteBuffer.wrap(parms).order(ByteOrder.LITTLE_ENDIAN);
            int eaction = p.getInt(20);
            if (eaction == TCA_EGRESS_REDIR || eaction == TCA_INGRESS_REDIR) {
                targets.add(names.getOrDefault(p.getInt(24), "*"));
            }
        }
        return targets;
    }

    private static String mac(byte[] hw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hw.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HexFormat.of().toHexDigits(hw[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static Inet4Address ipv4(byte[] raw) throws NetOperationException {
        if (raw.length != 4) {
            throw new NetOperationException("IPv4 address attribute with " + raw.length + " bytes");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}
