package io.jurunc.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.RecordingHost;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client tests' iptables clean-up, with a recording host: only what the test added is removed. */
class ClientHostUnitTest {

    @Test
    void iptablesRulesAreSplitIntoWordsHonouringQuotes() {
        assertThat(ClientHost.shellWords(
                        "POSTROUTING -m comment --comment \"CNI portfwd requiring masquerade\" -j CNI-HOSTPORT-MASQ"))
                .containsExactly(
                        "POSTROUTING",
                        "-m",
                        "comment",
                        "--comment",
                        "CNI portfwd requiring masquerade",
                        "-j",
                        "CNI-HOSTPORT-MASQ");
        assertThat(ClientHost.shellWords("X --comment \"name: \\\"net\\\" id: \\\"1\\\"\""))
                .containsExactly("X", "--comment", "name: \"net\" id: \"1\"");
    }

    @Test
    void onlyTheCniRulesAndChainsAddedSinceTheSnapshotAreRemovedRulesFirst() {
        String nat = """
                -P OUTPUT ACCEPT
                -N CNI-HOSTPORT-DNAT
                -N CNI-HOSTPORT-MASQ
                -A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
                -A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE
                """;
        RecordingHost host = new RecordingHost()
                .answering(c ->
                        RecordingHost.ok(c, c.argv().contains("-S") && c.argv().contains("nat") ? nat : ""));
        Set<String> before = Set.of(
                "nat -N CNI-HOSTPORT-MASQ", "nat -A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE");

        ClientHost.removeNewCniIptables(host, before);

        List<List<String>> changes =
                host.argvs().stream().filter(a -> !a.contains("-S")).toList();
        assertThat(changes)
                .containsExactly(
                        List.of(
                                "iptables",
                                "-w",
                                "-t",
                                "nat",
                                "-D",
                                "OUTPUT",
                                "-m",
                                "addrtype",
                                "--dst-type",
                                "LOCAL",
                                "-j",
                                "CNI-HOSTPORT-DNAT"),
                        List.of("iptables", "-w", "-t", "nat", "-F", "CNI-HOSTPORT-DNAT"),
                        List.of("iptables", "-w", "-t", "nat", "-X", "CNI-HOSTPORT-DNAT"));
        assertThat(host.commands()).extracting(Command::argv).noneMatch(a -> a.contains("-P"));
    }
}
