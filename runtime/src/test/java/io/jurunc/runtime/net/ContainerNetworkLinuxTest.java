package io.jurunc.runtime.net;

import static io.jurunc.runtime.net.TestNamespaces.ip;
import static io.jurunc.runtime.net.TestNamespaces.json;
import static io.jurunc.runtime.net.TestNamespaces.tc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.runtime.sys.Syscalls;
import io.jurunc.runtime.vm.GuestNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real thing, as root, in namespaces the test creates and deletes. */
class ContainerNetworkLinuxTest {
    private final ContainerNetwork network = ContainerNetwork.system();
    private TestNamespaces namespaces;

    @BeforeEach
    void createNamespaces() {
        TestNamespaces.assumeRoot();
        namespaces = new TestNamespaces();
    }

    @AfterEach
    void deleteNamespaces() throws Exception {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void setupBuildsTapQdiscsAndRedirectsAndReturnsTheInterfacesIdentity() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(1);
        String ns = pair.container();
        String tap = TapName.forContainer("real-1");

        GuestNet net = network.setup(pair.ref(), "real-1").orElseThrow();

        JsonNode eth0 = json(ip(ns, "-j", "addr", "show", "dev", "eth0")).get(0);
        assertThat(net)
                .isEqualTo(new GuestNet(
                        tap,
                        "eth0",
                        FakeNetns.ip(pair.containerIp()),
                        24,
                        FakeNetns.ip(pair.hostIp()),
                        eth0.get("address").asText(),
                        1400));
        // the container interface keeps its address
        assertThat(eth0.get("addr_info").toString()).contains(pair.containerIp());

        JsonNode link = json(ip(ns, "-d", "-j", "link", "show", "dev", tap)).get(0);
        assertThat(link.get("mtu").asInt()).isEqualTo(1400);
        assertThat(link.get("flags").toString()).contains("\"UP\"");
        assertThat(link.get("ifalias").asText()).isEqualTo("jurunc container real-1");
        JsonNode tun = link.get("linkinfo").get("info_data");
        assertThat(link.get("linkinfo").get("info_kind").asText()).isEqualTo("tun");
        assertThat(tun.get("type").asText()).isEqualTo("tap");
        assertThat(tun.get("pi").asBoolean()).isFalse();
        assertThat(tun.get("vnet_hdr").asBoolean()).isTrue();
        assertThat(tun.get("multi_queue").asBoolean()).isFalse();
        assertThat(tun.get("persist").asBoolean()).isTrue();

        assertThat(ingressQdiscs(ns)).containsExactlyInAnyOrder("eth0", tap);
        assertThat(IpJson.redirectTargets(tc(ns, "-j", "filter", "show", "dev", "eth0", "ingress")))
                .containsExactly(tap);
        assertThat(IpJson.redirectTargets(tc(ns, "-j", "filter", "show", "dev", tap, "ingress")))
                .containsExactly("eth0");
        assertThat(tc(ns, "filter", "show", "dev", "eth0", "ingress"))
                .contains("match 00000000/00000000 at 0", "mirred (Egress Redirect to device " + tap + ")");
    }

    @Test
    void teardownLeavesNothingAndIsIdempotent() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(2);
        String before = linksAndQdiscs(pair.container());
        network.setup(pair.ref(), "real-2").orElseThrow();

        network.teardown(pair.ref(), "real-2");
        network.teardown(pair.ref(), "real-2");

        assertThat(linksAndQdiscs(pair.container())).isEqualTo(before);
        assertThat(ingressQdiscs(pair.container())).isEmpty();
    }

    @Test
    void twoSandboxesInTwoNamespacesAtOnce() throws Exception {
        TestNamespaces.Pair a = namespaces.pair(3);
        TestNamespaces.Pair b = namespaces.pair(4);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<GuestNet>> setups = List.of(
                    () -> network.setup(a.ref(), "sandbox-a").orElseThrow(),
                    () -> network.setup(b.ref(), "sandbox-b").orElseThrow());
            List<GuestNet> nets = new ArrayList<>();
            for (Future<GuestNet> f : pool.invokeAll(setups)) {
                nets.add(f.get());
            }

            assertThat(nets.get(0).ip().getHostAddress()).isEqualTo(a.containerIp());
            assertThat(nets.get(1).ip().getHostAddress()).isEqualTo(b.containerIp());
            assertThat(ingressQdiscs(a.container()))
                    .containsExactlyInAnyOrder("eth0", TapName.forContainer("sandbox-a"));
            assertThat(ingressQdiscs(b.container()))
                    .containsExactlyInAnyOrder("eth0", TapName.forContainer("sandbox-b"));
        } finally {
            pool.shutdownNow();
        }
        network.teardown(a.ref(), "sandbox-a");
        network.teardown(b.ref(), "sandbox-b");
        assertThat(ingressQdiscs(a.container())).isEmpty();
        assertThat(ingressQdiscs(b.container())).isEmpty();
    }

    @Test
    void aSecondSandboxInTheSameNamespaceIsRefusedAndTheFirstKeepsWorking() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(5);
        network.setup(pair.ref(), "first").orElseThrow();
        String before = linksAndQdiscs(pair.container());

        assertThatThrownBy(() -> network.setup(pair.ref(), "second"))
                .isInstanceOf(NetnsBusyException.class)
                .hasMessageContaining("jurunc container first");

        assertThat(linksAndQdiscs(pair.container())).isEqualTo(before);
        // deleting the refused container must not touch the first one's sandbox
        network.teardown(pair.ref(), "second");
        assertThat(linksAndQdiscs(pair.container())).isEqualTo(before);
    }

    @Test
    void aForeignIngressQdiscMakesSetupFailAndRollBack() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(6);
        tc(pair.container(), "qdisc", "add", "dev", "eth0", "ingress");
        String before = linksAndQdiscs(pair.container());

        assertThatThrownBy(() -> network.setup(pair.ref(), "real-6"))
                .isInstanceOfSatisfying(NetworkSetupException.class, e -> {
                    assertThat(e.step()).isEqualTo(SetupStep.ADD_INTERFACE_QDISC);
                    assertThat(e.getMessage()).contains("tc qdisc del dev eth0 ingress");
                });

        assertThat(linksAndQdiscs(pair.container())).isEqualTo(before);
        assertThat(ingressQdiscs(pair.container())).containsExactly("eth0");
    }

    @Test
    void aNamespaceWithoutDefaultRouteGivesNoNic() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(7);
        ip(pair.container(), "route", "del", "default");
        String before = linksAndQdiscs(pair.container());

        assertThat(network.setup(pair.ref(), "real-7")).isEmpty();
        assertThat(linksAndQdiscs(pair.container())).isEqualTo(before);
    }

    @Test
    void aProcessNamespacePathWorksAndTheOwnerIsSet() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(8);
        Process sleeper = namespaces.startIn(pair.container(), "sleep", "60");
        NetnsRef viaPid = waitForNetnsOf(sleeper, pair);
        String tap = TapName.forContainer("real-8");

        network.setup(viaPid, "real-8", Optional.of(new TapOwner(4242, 4343))).orElseThrow();

        JsonNode tun = json(ip(pair.container(), "-d", "-j", "link", "show", "dev", tap))
                .get(0)
                .get("linkinfo")
                .get("info_data");
        assertThat(tun.get("user").asText()).isEqualTo("4242");
        assertThat(tun.get("group").asText()).isEqualTo("4343");
        network.teardown(viaPid, "real-8");
        assertThat(ingressQdiscs(pair.container())).isEmpty();
    }

    @Test
    void aStaleTapOfTheSameContainerIsReplaced() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(9);
        network.setup(pair.ref(), "real-9").orElseThrow();

        GuestNet again = network.setup(pair.ref(), "real-9").orElseThrow();

        assertThat(IpJson.redirectTargets(tc(pair.container(), "-j", "filter", "show", "dev", "eth0", "ingress")))
                .containsExactly(again.tapName());
    }

    @Test
    void missingOrDeletedNamespaces() throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(10);
        network.setup(pair.ref(), "real-10").orElseThrow();
        namespaces.delete(pair.container());

        network.teardown(pair.ref(), "real-10"); // gone: nothing to do, no error

        assertThatThrownBy(() -> network.setup(pair.ref(), "real-10"))
                .isInstanceOfSatisfying(NetworkSetupException.class, e -> {
                    assertThat(e.step()).isEqualTo(SetupStep.INSPECT);
                    assertThat(e.getMessage()).contains("does not exist");
                });
    }

    @ParameterizedTest(name = "bridged host side: {0}")
    @ValueSource(booleans = {false, true})
    void theHostSideReachesTheGuestThroughTheRedirects(boolean bridged) throws Exception {
        TestNamespaces.Pair pair = namespaces.pair(11, bridged);
        GuestNet net = network.setup(pair.ref(), "real-11").orElseThrow();

        try (ArpIcmpResponder guest =
                new ArpIcmpResponder(Syscalls.linux(), pair.ref(), net.tapName(), net.mac(), net.ip())) {
            String out = TestNamespaces.run(
                    "ip",
                    "netns",
                    "exec",
                    pair.host(),
                    "busybox",
                    "ping",
                    "-c",
                    "3",
                    "-A",
                    "-w",
                    "5",
                    pair.containerIp());

            assertThat(out).contains("3 packets received");
            assertThat(guest.arpReplies.get()).isPositive();
            assertThat(guest.echoReplies.get()).isGreaterThanOrEqualTo(3); // ping may resend under load
            // the host learnt the guest's (= the container interface's) MAC
            assertThat(ip(pair.host(), "neigh", "show", pair.containerIp())).contains(net.mac());
            if (bridged) {
                assertThat(TestNamespaces.run("bridge", "-n", pair.host(), "fdb", "show", "br", "br0"))
                        .contains(net.mac() + " dev veth0");
            }
        }
        network.teardown(pair.ref(), "real-11");
    }

    @Test
    void qemuInsideTheNamespaceAttachesToTheTap() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/qemu-system-x86_64")),
                "needs qemu-system-x86_64");
        TestNamespaces.Pair pair = namespaces.pair(12);
        GuestNet net = network.setup(pair.ref(), "real-12").orElseThrow();
        assertThat(flags(pair.container(), net.tapName())).doesNotContain("LOWER_UP");

        // -S: the VM is created with its NIC but never runs; the monitor opens the tap like for a boot
        Process qemu = namespaces.startIn(
                pair.container(),
                "qemu-system-x86_64",
                "-M",
                "microvm",
                "-nodefaults",
                "-nographic",
                "-S",
                "-monitor",
                "none",
                "-serial",
                "none",
                "-netdev",
                "tap,id=n0,ifname=" + net.tapName() + ",script=no,downscript=no,vnet_hdr=on",
                "-device",
                "virtio-net-device,netdev=n0,mac=" + net.mac());
        String attached = "";
        for (int i = 0; i < 300 && !attached.contains("LOWER_UP") && qemu.isAlive(); i++) {
            Thread.sleep(50);
            attached = flags(pair.container(), net.tapName());
        }
        assertThat(attached).as("tap flags while qemu holds it").contains("LOWER_UP");
        qemu.destroyForcibly().waitFor();

        // persistent: the tap and its redirects outlive the monitor; teardown removes them
        assertThat(flags(pair.container(), net.tapName())).doesNotContain("LOWER_UP");
        network.teardown(pair.ref(), "real-12");
        assertThat(ingressQdiscs(pair.container())).isEmpty();
    }

    private static String flags(String ns, String dev) throws Exception {
        return json(ip(ns, "-j", "link", "show", "dev", dev))
                .get(0)
                .get("flags")
                .toString();
    }

    private static NetnsRef waitForNetnsOf(Process p, TestNamespaces.Pair pair) throws Exception {
        // `ip netns exec` execs sleep in the same process once it has joined the namespace
        Object want = java.nio.file.Files.getAttribute(pair.ref().path(), "unix:ino");
        java.nio.file.Path link = java.nio.file.Path.of("/proc", Long.toString(p.pid()), "ns", "net");
        for (int i = 0; i < 200; i++) {
            try {
                if (java.nio.file.Files.getAttribute(link, "unix:ino").equals(want)) {
                    return NetnsRef.ofPid(p.pid());
                }
            } catch (java.io.IOException notYet) {
                // the process is still starting
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + p.pid() + " never entered " + pair.container());
    }

    private static List<String> ingressQdiscs(String ns) throws Exception {
        return List.copyOf(IpJson.ingressQdiscDevices(tc(ns, "-j", "qdisc", "show")));
    }

    private static String linksAndQdiscs(String ns) throws Exception {
        return ip(ns, "-o", "link", "show").replaceAll("(?m)^\\d+: ", "") + tc(ns, "qdisc", "show");
    }
}
