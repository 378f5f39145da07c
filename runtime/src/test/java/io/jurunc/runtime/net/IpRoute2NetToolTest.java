package io.jurunc.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands the real NetTool runs, through a recording runner. */
class IpRoute2NetToolTest {
    private static final NetnsRef NS = NetnsRef.of("/proc/42/ns/net");

    private final List<String> ran = new ArrayList<>();
    private final Deque<String> outputs = new ArrayDeque<>();
    private final IpRoute2NetTool tool = new IpRoute2NetTool((netns, argv, stdin) -> {
        assertThat(netns).isEqualTo(NS);
        ran.add(String.join(" ", argv) + (stdin == null ? "" : " <<< " + stdin.replace("\n", "\\n")));
        return outputs.isEmpty() ? "" : outputs.pop();
    });

    @Test
    void inspectRunsOneIpBatch() throws Exception {
        outputs.add("""
        [{"ifname":"lo","mtu":65536,"link_type":"loopback","addr_info":[]}]
        [{"type":"unicast","dst":"default","dev":"lo","flags":[]}]
        """);

        NetnsState state = tool.inspect(NS);

        assertThat(ran).containsExactly("ip -d -j -batch - <<< addr show\\nroute show default\\n");
        assertThat(state.links()).hasSize(1);
        assertThat(state.defaultRoutes()).hasSize(1);
    }

    @Test
    void changesAreTheDocumentedCommands() throws Exception {
        tool.configureTap(NS, "jrtap0", 1400, "jurunc container c1");
        tool.addIngressQdisc(NS, "jrtap0");
        tool.addIngressRedirect(NS, "eth0", "jrtap0");
        tool.deleteIngressQdisc(NS, "eth0");
        tool.deleteLink(NS, "jrtap0");

        assertThat(ran)
                .containsExactly(
                        "ip link set dev jrtap0 mtu 1400 alias jurunc container c1 up",
                        "tc qdisc add dev jrtap0 ingress",
                        "tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress"
                                + " redirect dev jrtap0",
                        "tc qdisc del dev eth0 ingress",
                        "ip link del dev jrtap0");
    }

    @Test
    void queriesParseTcJson() throws Exception {
        outputs.add("[{\"kind\":\"ingress\",\"handle\":\"ffff:\",\"dev\":\"eth0\"}]");
        outputs.add("[{\"kind\":\"u32\",\"options\":{\"actions\":[{\"kind\":\"mirred\","
                + "\"mirred_action\":\"redirect\",\"to_dev\":\"jrtap0\"}]}}]");

        assertThat(tool.ingressQdiscDevices(NS)).containsExactly("eth0");
        assertThat(tool.ingressRedirectTargets(NS, "eth0")).containsExactly("jrtap0");
        assertThat(ran).containsExactly("tc -j qdisc show", "tc -j filter show dev eth0 ingress");
    }

    @Test
    void runnerFailuresPropagate() {
        IpRoute2NetTool failing = new IpRoute2NetTool((netns, argv, stdin) -> {
            throw new NetOperationException("'tc qdisc add dev eth0 ingress' exited with 2: boom");
        });

        assertThatThrownBy(() -> failing.addIngressQdisc(NS, "eth0"))
                .isInstanceOf(NetOperationException.class)
                .hasMessageContaining("boom");
    }
}
