package io.jurunc.runtime.net;

import static io.jurunc.runtime.net.RecordingNetlink.ack;
import static io.jurunc.runtime.net.RecordingNetlink.datagram;
import static io.jurunc.runtime.net.RecordingNetlink.done;
import static io.jurunc.runtime.net.RecordingNetlink.seq;
import static io.jurunc.runtime.net.RecordingNetlink.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact rtnetlink bytes {@link NetlinkNetTool} sends, and how it reads the kernel's answers. */
class NetlinkNetToolTest {
    private static final NetnsRef NS = NetnsRef.of("/var/run/netns/test");
    private static final Map<String, Integer> INDEX = Map.of("lo", 1, "eth0", 3, "jrtap0123456789", 7);

    /** Answers RTM_GETLINK-by-name with the index from {@link #INDEX}, acks everything else. */
    private static RecordingNetlink kernel() {
        return new RecordingNetlink(req -> {
            if (type(req) == NetlinkNetTool.RTM_GETLINK && !RecordingNetlink.isDump(req)) {
                String name = new String(req, 16 + 16 + 4, req.length - 16 - 16 - 4).split("\0")[0];
                Integer index = INDEX.get(name);
                if (index == null) {
                    return List.of(ack(seq(req), -19));
                }
                return List.of(link(seq(req), index, name, 1, 0), ack(seq(req), 0));
            }
            return List.of(RecordingNetlink.isDump(req) ? done(seq(req)) : ack(seq(req), 0));
        });
    }

    private static byte[] link(int seq, int index, String name, int arphrd, int flags, byte[]... extra) {
        NetlinkMessage m = new NetlinkMessage(NetlinkNetTool.RTM_NEWLINK, NetlinkMessage.NLM_F_MULTI)
                .body(NetlinkMessage.le(16)
                        .put((byte) 0)
                        .put((byte) 0)
                        .putShort((short) arphrd)
                        .putInt(index)
                        .putInt(flags)
                        .putInt(0)
                        .array())
                .attrString(NetlinkNetTool.IFLA_IFNAME, name)
                .attrU32(NetlinkNetTool.IFLA_MTU, 1400);
        for (byte[] e : extra) {
            m.attr(NetlinkNetTool.IFLA_ADDRESS, e);
        }
        return m.build(seq);
    }

    @Test
    void configureTapIsOneNewlinkWithNameMtuAliasAndUp() throws Exception {
        RecordingNetlink nl = kernel();
        new NetlinkNetTool(nl).configureTap(NS, "jrtap0123456789", 1400, "jurunc container c1");
        assertThat(nl.requests)
                .containsExactly("54000000" + "1000" + "0500" + "01000000"
                        + "00000000" // len 80, RTM_NEWLINK, REQUEST|ACK, seq 1
                        + "00000000" + "00000000" + "01000000" + "01000000" // ifinfomsg: index 0, flags UP, change UP
                        + "1400" + "0300" + "6a7274617030313233343536373839"
                        + "00" // IFLA_IFNAME (15 chars + NUL, padded)
                        + "0800" + "0400" + "78050000" // IFLA_MTU 1400
                        + "1800" + "1400" + "6a7572756e6320636f6e7461696e657220633100"); // IFLA_IFALIAS
        assertThat(nl.namespaces).containsOnly(NS);
    }

    @Test
    void addIngressQdiscResolvesTheIndexThenCreatesExclusively() throws Exception {
        RecordingNetlink nl = kernel();
        new NetlinkNetTool(nl).addIngressQdisc(NS, "eth0");
        assertThat(nl.requests)
                .containsExactly(
                        "2c000000" + "1200" + "0500" + "01000000" + "00000000" // RTM_GETLINK by name
                                + "00000000000000000000000000000000" + "0900" + "0300" + "6574683000000000",
                        "34000000" + "2400" + "0506" + "02000000" + "00000000" // RTM_NEWQDISC, REQUEST|ACK|EXCL|CREATE
                                + "00000000" + "03000000" + "0000ffff" + "f1ffffff"
                                + "00000000" // tcmsg: eth0, ffff:, parent ingress
                                + "0c00" + "0100" + "696e677265737300" // TCA_KIND "ingress"
                                + "0400" + "0200"); // TCA_OPTIONS, empty
    }

    @Test
    void deleteIngressQdiscNamesTheIngressParent() throws Exception {
        RecordingNetlink nl = kernel();
        new NetlinkNetTool(nl).deleteIngressQdisc(NS, "eth0");
        assertThat(nl.requests.get(1))
                .isEqualTo("30000000" + "2500" + "0500" + "02000000" + "00000000"
                        + "00000000" + "03000000" + "00000000" + "f1ffffff" + "00000000"
                        + "0c00" + "0100" + "696e677265737300");
    }

    @Test
    void theRedirectIsAU32MatchAllFilterWithMirredEgressRedirect() throws Exception {
        RecordingNetlink nl = kernel();
        new NetlinkNetTool(nl).addIngressRedirect(NS, "jrtap0123456789", "eth0");
        assertThat(nl.requests).hasSize(3);
        assertThat(nl.requests.get(2))
                .isEqualTo("8c000000" + "2c00" + "0506" + "03000000"
                        + "00000000" // len 140, RTM_NEWTFILTER, create excl
                        + "00000000" + "07000000" + "00000000" + "0000ffff" + "00030000" // from tap, parent ffff:, all
                        + "0800" + "0100" + "75333200" // TCA_KIND "u32"
                        + "6000" + "0200" // TCA_OPTIONS (96)
                        + "2400" + "0500" //   TCA_U32_SEL (36)
                        + "01000100" + "0000" + "0000" + "0000" + "0000" + "00000000" //   terminal, 1 key
                        + "00000000" + "00000000" + "00000000" + "00000000" //   key: mask 0 val 0
                        + "3800" + "0700" //   TCA_U32_ACT (56)
                        + "3400" + "0100" //     action 1 (52)
                        + "0b00" + "0100" + "6d6972726564" + "0000" //       TCA_ACT_KIND "mirred"
                        + "2400" + "0280" //       TCA_ACT_OPTIONS, nested (36)
                        + "2000" + "0200" //         TCA_MIRRED_PARMS (32)
                        + "00000000" + "00000000" + "04000000" + "00000000" + "00000000" // tc_gen: action STOLEN
                        + "01000000" + "03000000"); //         egress redirect to eth0
    }

    @Test
    void deleteLinkIsByName() throws Exception {
        RecordingNetlink nl = kernel();
        new NetlinkNetTool(nl).deleteLink(NS, "jrtap0123456789");
        assertThat(nl.requests)
                .containsExactly(
                        "34000000" + "1100" + "0500" + "01000000" + "00000000" + "00000000000000000000000000000000"
                                + "1400" + "0300" + "6a7274617030313233343536373839" + "00");
    }

    @Test
    void kernelErrorsCarryTheErrnoAndTheExtendedAck() {
        RecordingNetlink nl = new RecordingNetlink(req -> type(req) == NetlinkNetTool.RTM_NEWQDISC
                ? List.of(ack(seq(req), -17, "Exclusivity flag on, cannot modify."))
                : List.of(link(seq(req), 3, "eth0", 1, 0), ack(seq(req), 0)));
        assertThatThrownBy(() -> new NetlinkNetTool(nl).addIngressQdisc(NS, "eth0"))
                .isInstanceOf(NetOperationException.class)
                .hasMessage(
                        "tc qdisc add dev eth0 ingress: EEXIST (File exists) (Exclusivity flag on, cannot modify.)");
    }

    @Test
    void aMissingDeviceIsReportedByName() {
        assertThatThrownBy(() -> new NetlinkNetTool(kernel()).addIngressQdisc(NS, "eth9"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("ip link show dev eth9: ENODEV");
    }

    @Test
    void inspectReadsLinksAddressesAndTheMainDefaultRouteInKernelOrder() throws Exception {
        byte[] mac = {0x02, 0x42, (byte) 0xac, 0x11, 0x00, 0x02};
        RecordingNetlink nl = new RecordingNetlink(req -> switch (type(req)) {
            case NetlinkNetTool.RTM_GETLINK ->
                List.of(
                        datagram(
                                link(seq(req), 1, "lo", 772, 0x9, new byte[6]),
                                link(seq(req), 3, "eth0", 1, 0x1043, mac)),
                        done(seq(req)));
            case NetlinkNetTool.RTM_GETADDR ->
                List.of(
                        datagram(
                                addr(seq(req), 1, new byte[] {127, 0, 0, 1}, 8, 0),
                                addr(seq(req), 3, new byte[] {10, 88, 0, 5}, 24, 0),
                                addr(seq(req), 3, new byte[] {10, 88, 0, 6}, 24, 1)),
                        done(seq(req)));
            case NetlinkNetTool.RTM_GETROUTE ->
                List.of(
                        datagram(
                                route(seq(req), 0, 255, 3, null), // local table: ignored
                                route(seq(req), 24, 254, 3, null), // not a default route
                                route(seq(req), 0, 254, 3, new byte[] {10, 88, 0, 1})),
                        done(seq(req)));
            default -> List.of(ack(seq(req), -22));
        });
        NetnsState state = new NetlinkNetTool(nl).inspect(NS);
        assertThat(state.links()).extracting(LinkInfo::name).containsExactly("lo", "eth0");
        LinkInfo eth0 = state.link("eth0").orElseThrow();
        assertThat(eth0.mac()).isEqualTo("02:42:ac:11:00:02");
        assertThat(eth0.mtu()).isEqualTo(1400);
        assertThat(eth0.loopback()).isFalse();
        assertThat(state.link("lo").orElseThrow().loopback()).isTrue();
        assertThat(state.link("lo").orElseThrow().mac()).isEmpty();
        assertThat(eth0.ipv4()).hasSize(2);
        assertThat(eth0.primaryIpv4().orElseThrow().address().getHostAddress()).isEqualTo("10.88.0.5");
        assertThat(state.defaultRoutes()).hasSize(1);
        assertThat(state.defaultRoutes().getFirst().dev()).isEqualTo("eth0");
        assertThat(state.defaultRoutes().getFirst().gateway().orElseThrow().getHostAddress())
                .isEqualTo("10.88.0.1");
        assertThat(nl.requests)
                .containsExactly(
                        "20000000" + "1200" + "0103" + "01000000" + "00000000" + "00000000000000000000000000000000",
                        "18000000" + "1600" + "0103" + "02000000" + "00000000" + "0200000000000000",
                        "1c000000" + "1a00" + "0103" + "03000000" + "00000000" + "020000000000000000000000");
    }

    @Test
    void redirectTargetsAreReadFromTheFilterDump() throws Exception {
        byte[] filter = NetlinkNetTool.redirectMessage(3, 7).build(1);
        // a dumped filter has the layout of the request that added it
        byte[] dangling = NetlinkNetTool.redirectMessage(3, 99).build(1);
        byte[] root = new NetlinkMessage(NetlinkNetTool.RTM_NEWTFILTER, NetlinkMessage.NLM_F_MULTI)
                .body(NetlinkNetTool.tcmsg(3, 0, 0xFFFF0000, 0x0300))
                .attrString(1, "u32")
                .nest(2)
                .attrU32(4, 1)
                .end()
                .build(1);
        NetlinkReply f = NetlinkReply.split(filter, filter.length).getFirst();
        NetlinkReply d = NetlinkReply.split(dangling, dangling.length).getFirst();
        NetlinkReply r = NetlinkReply.split(root, root.length).getFirst();
        Map<Integer, String> names = Map.of(3, "eth0", 7, "jrtap0123456789");
        assertThat(NetlinkNetTool.redirectTargets(f, names)).containsExactly("jrtap0123456789");
        assertThat(NetlinkNetTool.redirectTargets(d, names)).containsExactly("*");
        assertThat(NetlinkNetTool.redirectTargets(r, names)).isEmpty();
    }

    @Test
    void malformedAnswersAreErrorsNotCrashes() {
        RecordingNetlink nl = new RecordingNetlink(req -> {
            byte[] bad = link(seq(req), 3, "eth0", 1, 0);
            bad[16 + 16] = (byte) 0xff; // IFLA_IFNAME claims 255 bytes
            return List.of(bad, done(seq(req)));
        });
        assertThatThrownBy(() -> new NetlinkNetTool(nl).inspect(NS))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("malformed netlink attribute");
        RecordingNetlink silent = new RecordingNetlink(req -> List.of());
        assertThatThrownBy(() -> new NetlinkNetTool(silent).deleteLink(NS, "x"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("closed before the answer");
    }

    private static byte[] addr(int seq, int index, byte[] ip, int prefix, int flags) {
        return new NetlinkMessage(NetlinkNetTool.RTM_NEWADDR, NetlinkMessage.NLM_F_MULTI)
                .body(NetlinkMessage.le(8)
                        .put((byte) 2)
                        .put((byte) prefix)
                        .put((byte) flags)
                        .put((byte) 0)
                        .putInt(index)
                        .array())
                .attr(NetlinkNetTool.IFA_ADDRESS, ip)
                .attr(NetlinkNetTool.IFA_LOCAL, ip)
                .build(seq);
    }

    private static byte[] route(int seq, int dstLen, int table, int oif, byte[] gateway) {
        NetlinkMessage m = new NetlinkMessage(NetlinkNetTool.RTM_NEWROUTE, NetlinkMessage.NLM_F_MULTI)
                .body(NetlinkMessage.le(12)
                        .put((byte) 2)
                        .put((byte) dstLen)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) table)
                        .put((byte) 3)
                        .put((byte) 0)
                        .put((byte) 1)
                        .array())
                .attrU32(NetlinkNetTool.RTA_TABLE, table)
                .attrU32(NetlinkNetTool.RTA_OIF, oif);
        if (gateway != null) {
            m.attr(NetlinkNetTool.RTA_GATEWAY, gateway);
        }
        return m.build(seq);
    }
}
