package io.jurunc.runtime.net;

import static io.jurunc.runtime.net.FakeNetns.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing of output captured from iproute2 6.1 on the development machine (some fields trimmed). */
class IpJsonTest {
    private static final String ADDRS = """
      [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue",\
      "operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00",\
      "addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"},\
      {"family":"inet6","local":"::1","prefixlen":128,"scope":"host"}]},\
      {"ifindex":2,"link_index":5,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],\
      "mtu":1500,"qdisc":"noqueue","operstate":"UP","link_type":"ether","address":"EA:52:1d:2c:4f:67",\
      "linkinfo":{"info_kind":"veth"},"addr_info":[{"family":"inet","local":"10.213.0.2","prefixlen":24,\
      "scope":"global","label":"eth0"},{"family":"inet","local":"10.213.0.9","prefixlen":24,\
      "scope":"global","secondary":true,"label":"eth0"},{"family":"inet6",\
      "local":"fe80::e852:1dff:fe2c:4f67","prefixlen":64,"scope":"link"}]},\
      {"ifindex":4,"ifname":"jrtap0123456789","flags":["BROADCAST","MULTICAST"],"mtu":1400,\
      "qdisc":"noop","operstate":"DOWN","link_type":"ether","address":"86:e3:7d:72:a2:1f",\
      "linkinfo":{"info_kind":"tun","info_data":{"type":"tap","pi":false,"vnet_hdr":true,\
      "multi_queue":false,"persist":true,"user":"cloudsdk","group":1001}},\
      "ifalias":"jurunc container c1","addr_info":[]},\
      {"ifindex":6,"ifname":"wg0","flags":["POINTOPOINT","NOARP","UP","LOWER_UP"],"mtu":1420,\
      "link_type":"none","linkinfo":{"info_kind":"wireguard"},"addr_info":[{"family":"inet",\
      "local":"10.99.0.1","prefixlen":32,"scope":"global"}]}]
      """;
    private static final String ROUTES = """
      [{"type":"unicast","dst":"default","gateway":"10.213.0.1","dev":"eth0","protocol":"boot",\
      "scope":"global","flags":[]},{"type":"unicast","dst":"default","gateway":"10.213.0.3",\
      "dev":"eth0","protocol":"boot","scope":"global","metric":50,"flags":[]},\
      {"type":"unreachable","dst":"default","metric":90,"flags":[]},\
      {"type":"unicast","dst":"default","dev":"wg0","scope":"link","metric":100,"flags":[]}]
      """;

    @Test
    void linksAndDefaultRoutesFromIpBatchOutput() throws Exception {
        NetnsState state = IpJson.netnsState(ADDRS + ROUTES);

        assertThat(state.links()).extracting(LinkInfo::name).containsExactly("lo", "eth0", "jrtap0123456789", "wg0");
        LinkInfo lo = state.link("lo").orElseThrow();
        assertThat(lo.loopback()).isTrue();
        assertThat(lo.mac()).isEmpty();
        LinkInfo eth0 = state.link("eth0").orElseThrow();
        assertThat(eth0)
                .isEqualTo(new LinkInfo(
                        "eth0",
                        1500,
                        "ea:52:1d:2c:4f:67",
                        false,
                        "veth",
                        "",
                        java.util.List.of(
                                new Ipv4Address(ip("10.213.0.2"), 24, false),
                                new Ipv4Address(ip("10.213.0.9"), 24, true))));
        assertThat(eth0.primaryIpv4()).contains(new Ipv4Address(ip("10.213.0.2"), 24, false));
        LinkInfo tap = state.link("jrtap0123456789").orElseThrow();
        assertThat(tap.kind()).isEqualTo("tun");
        assertThat(tap.alias()).isEqualTo("jurunc container c1");
        assertThat(tap.ipv4()).isEmpty();
        assertThat(state.link("wg0").orElseThrow().mac()).isEmpty();

        assertThat(state.defaultRoutes())
                .containsExactly(
                        new DefaultRoute("eth0", Optional.of(ip("10.213.0.1"))),
                        new DefaultRoute("eth0", Optional.of(ip("10.213.0.3"))),
                        new DefaultRoute("wg0", Optional.empty()));
        NetnsState.Uplink uplink = state.uplink().orElseThrow();
        assertThat(uplink.link().name()).isEqualTo("eth0");
        assertThat(uplink.route().gateway()).contains(ip("10.213.0.1"));
    }

    @Test
    void anEmptyNamespaceHasNoUplink() throws Exception {
        NetnsState state = IpJson.netnsState("""
        [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"link_type":"loopback",\
        "address":"00:00:00:00:00:00","addr_info":[]}]
        []
        """);

        assertThat(state.links()).hasSize(1);
        assertThat(state.uplink()).isEmpty();
    }

    @Test
    void ingressQdiscDevices() throws Exception {
        String out = """
        [{"kind":"noqueue","handle":"0:","dev":"lo","root":true,"refcnt":2,"options":{}},\
        {"kind":"noqueue","handle":"0:","dev":"eth0","root":true,"refcnt":2,"options":{}},\
        {"kind":"ingress","handle":"ffff:","dev":"eth0","parent":"ffff:fff1","options":{}},\
        {"kind":"pfifo_fast","handle":"0:","dev":"tapq","root":true,"refcnt":2,"options":{"bands":3}},\
        {"kind":"ingress","handle":"ffff:","dev":"tapq","parent":"ffff:fff1","options":{}}]
        """;

        assertThat(IpJson.ingressQdiscDevices(out)).containsExactly("eth0", "tapq");
        assertThat(IpJson.ingressQdiscDevices("[]")).isEmpty();
    }

    @Test
    void redirectTargetsIncludingOnesWhoseDeviceWasDeleted() throws Exception {
        String live = """
        [{"parent":"ffff:","protocol":"all","pref":49152,"kind":"u32","chain":0},\
        {"parent":"ffff:","protocol":"all","pref":49152,"kind":"u32","chain":0,"options":{"fh":"800:",\
        "ht_divisor":1}},{"parent":"ffff:","protocol":"all","pref":49152,"kind":"u32","chain":0,\
        "options":{"fh":"800::800","order":2048,"key_ht":"800","bkt":"0","not_in_hw":true,\
        "match":{"value":"0","mask":"0","offmask":"","off":0},"actions":[{"order":1,"kind":"mirred",\
        "mirred_action":"redirect","direction":"egress","to_dev":"tapq","control_action":\
        {"type":"stolen"},"index":2,"ref":1,"bind":1}]}}]
        """;

        assertThat(IpJson.redirectTargets(live)).containsExactly("tapq");
        assertThat(IpJson.redirectTargets(live.replace("\"tapq\"", "\"*\""))).containsExactly("*");
        assertThat(IpJson.redirectTargets(live.replace("\"redirect\"", "\"mirror\"")))
                .isEmpty();
        assertThat(IpJson.redirectTargets("")).isEmpty();
    }

    @Test
    void malformedOutputIsATypedError() {
        assertThatThrownBy(() -> IpJson.netnsState("[{\"ifname\":"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("cannot parse JSON");
        assertThatThrownBy(() -> IpJson.netnsState("[]"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("expected 2");
        assertThatThrownBy(() -> IpJson.netnsState("{}\n[]"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("expected an array");
        assertThatThrownBy(() -> IpJson.netnsState("[{\"mtu\":1}]\n[]"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("ifname");
    }

    @Test
    void ipv4LiteralsAreParsedStrictly() throws Exception {
        assertThat(IpJson.ipv4("10.0.255.1").getHostAddress()).isEqualTo("10.0.255.1");
        for (String bad : new String[] {"10.0.0", "10.0.0.256", "a.b.c.d", "10..0.1", "1.2.3.4.5", "0010.1.1.1"}) {
            assertThatThrownBy(() -> IpJson.ipv4(bad)).as(bad).isInstanceOf(NetOperationException.class);
        }
    }
}
