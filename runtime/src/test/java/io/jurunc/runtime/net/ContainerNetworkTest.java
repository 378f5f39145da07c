package io.jurunc.runtime.net;

import static io.jurunc.runtime.net.FakeNetns.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.vm.GuestNet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContainerNetworkTest {
    private static final NetnsRef NS = NetnsRef.of("/var/run/netns/cni-test");
    private static final String ID = "c1";
    private static final String TAP = TapName.forContainer(ID);

    private final FakeNetns fake = FakeNetns.typical();
    private final ContainerNetwork network = new ContainerNetwork(fake, fake);

    @Test
    void setupCreatesTapAndBothRedirectsAndHandsOverTheInterface() throws Exception {
        Optional<GuestNet> net = network.setup(NS, ID);

        assertThat(net)
                .contains(new GuestNet(TAP, "eth0", ip("10.213.0.2"), 24, ip("10.213.0.1"), "0a:58:0a:d5:00:02", 1450));
        assertThat(fake.calls)
                .containsExactly(
                        "ip -d -j addr show; ip -j route show default",
                        "ip tuntap add dev " + TAP + " mode tap one_queue vnet_hdr",
                        "ip link set dev " + TAP + " mtu 1450 alias 'jurunc container c1' up",
                        "tc qdisc add dev " + TAP + " ingress",
                        "tc qdisc add dev eth0 ingress",
                        "tc filter add dev " + TAP + " parent ffff: protocol all u32 match u32 0 0 action mirred"
                                + " egress redirect dev eth0",
                        "tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress"
                                + " redirect dev " + TAP);
        FakeNetns.Link tap = fake.links.get(TAP);
        assertThat(tap.up).isTrue();
        assertThat(tap.mtu).isEqualTo(1450);
        assertThat(tap.redirects).containsExactly("eth0");
        assertThat(fake.links.get("eth0").redirects).containsExactly(TAP);
        // the container interface keeps its address (as urunc does)
        assertThat(fake.links.get("eth0").ipv4).hasSize(1);
    }

    @Test
    void tapOwnerIsPassedToTheTapCreation() throws Exception {
        network.setup(NS, ID, Optional.of(new TapOwner(1000, 1001)));

        assertThat(fake.links.get(TAP).owner).contains(new TapOwner(1000, 1001));
        assertThat(fake.calls.get(1)).endsWith(" user 1000 group 1001");
    }

    @Test
    void theInterfaceHoldingTheDefaultRouteIsChosenNotEth0() throws Exception {
        fake.routes.clear();
        fake.addLink("net1", 9000, "0a:00:00:00:00:09", "macvlan")
                .ipv4
                .add(new Ipv4Address(ip("192.168.7.9"), 23, false));
        fake.routes.add(new DefaultRoute("net1", Optional.of(ip("192.168.6.1"))));

        GuestNet net = network.setup(NS, ID).orElseThrow();

        assertThat(net.containerInterface()).isEqualTo("net1");
        assertThat(net.ip()).isEqualTo(ip("192.168.7.9"));
        assertThat(net.prefixLength()).isEqualTo(23);
        assertThat(net.gateway()).isEqualTo(ip("192.168.6.1"));
        assertThat(net.mtu()).isEqualTo(9000);
        assertThat(fake.links.get("eth0").ingressQdisc).isFalse();
        assertThat(fake.links.get("net1").redirects).containsExactly(TAP);
    }

    @Test
    void theFirstDefaultRouteWhoseLinkHasAnAddressWins() throws Exception {
        fake.routes.clear();
        fake.addLink("bare0", 1500, "0a:00:00:00:00:01", "veth"); // no IPv4 address
        fake.routes.add(new DefaultRoute("bare0", Optional.of(ip("10.9.9.1"))));
        fake.routes.add(new DefaultRoute("eth0", Optional.empty())); // on-link default route

        GuestNet net = network.setup(NS, ID).orElseThrow();

        assertThat(net.containerInterface()).isEqualTo("eth0");
        assertThat(net.gateway()).isNull();
        assertThat(net.gatewayText()).isEmpty();
    }

    @Test
    void noDefaultRouteMeansNoNicAndNothingCreated() throws Exception {
        fake.routes.clear();
        List<String> before = fake.snapshot();

        assertThat(network.setup(NS, ID)).isEmpty();

        assertThat(fake.calls).containsExactly("ip -d -j addr show; ip -j route show default");
        assertThat(fake.snapshot()).isEqualTo(before);
    }

    @Test
    void aDefaultRouteOnlyThroughLoopbackMeansNoNic() throws Exception {
        fake.routes.clear();
        fake.routes.add(new DefaultRoute("lo", Optional.empty()));

        assertThat(network.setup(NS, ID)).isEmpty();
        assertThat(fake.links).doesNotContainKey(TAP);
    }

    @ParameterizedTest
    @EnumSource(
            value = SetupStep.class,
            names = {
                "CREATE_TAP",
                "CONFIGURE_TAP",
                "ADD_TAP_QDISC",
                "ADD_INTERFACE_QDISC",
                "REDIRECT_TAP_TO_INTERFACE",
                "REDIRECT_INTERFACE_TO_TAP"
            })
    void aFailingStepIsNamedAndEverythingCreatedBeforeIsRemoved(SetupStep step) {
        List<String> before = fake.snapshot();
        String failingCommand = switch (step) {
            case CREATE_TAP -> "ip tuntap add";
            case CONFIGURE_TAP -> "ip link set dev " + TAP;
            case ADD_TAP_QDISC -> "tc qdisc add dev " + TAP;
            case ADD_INTERFACE_QDISC -> "tc qdisc add dev eth0";
            case REDIRECT_TAP_TO_INTERFACE -> "tc filter add dev " + TAP;
            case REDIRECT_INTERFACE_TO_TAP -> "tc filter add dev eth0";
            default -> throw new AssertionError(step);
        };
        fake.failWhen(c -> c.startsWith(failingCommand));

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOfSatisfying(NetworkSetupException.class, e -> {
            assertThat(e.step()).isEqualTo(step);
            assertThat(e.getMessage()).contains("container c1", NS.toString(), step.description(), "injected failure");
            assertThat(e.getSuppressed()).isEmpty();
        });
        assertThat(fake.snapshot()).isEqualTo(before);
    }

    @Test
    void rollbackDeletesTheInterfaceQdiscBeforeTheTap() {
        fake.failWhen(c -> c.startsWith("tc filter add dev eth0"));

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOf(NetworkSetupException.class);

        assertThat(fake.calls.subList(fake.calls.size() - 2, fake.calls.size()))
                .containsExactly("tc qdisc del dev eth0 ingress", "ip link del dev " + TAP);
    }

    @Test
    void anIngressQdiscOfSomeoneElseIsLeftAloneAndNamedInTheError() {
        FakeNetns.Link eth0 = fake.links.get("eth0");
        eth0.ingressQdisc = true;
        eth0.redirects.add("ifb0");
        List<String> before = fake.snapshot();

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOfSatisfying(NetworkSetupException.class, e -> {
            assertThat(e.step()).isEqualTo(SetupStep.ADD_INTERFACE_QDISC);
            assertThat(e.getMessage()).contains("Exclusivity flag on", "tc qdisc del dev eth0 ingress");
        });
        assertThat(fake.snapshot()).isEqualTo(before);
        assertThat(fake.calls).doesNotContain("tc qdisc del dev eth0 ingress");
    }

    @Test
    void aFailingRollbackIsAttachedAsSuppressed() {
        fake.failWhen(c -> c.startsWith("tc qdisc add dev " + TAP) || c.startsWith("ip link del"));

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOfSatisfying(NetworkSetupException.class, e -> {
            assertThat(e.step()).isEqualTo(SetupStep.ADD_TAP_QDISC);
            assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(s -> assertThat(s.getMessage()).contains("ip link del dev " + TAP));
        });
    }

    @Test
    void aStaleTapOfTheSameContainerIsReplaced() throws Exception {
        network.setup(NS, ID);
        fake.calls.clear();

        GuestNet net = network.setup(NS, ID).orElseThrow();

        assertThat(net.tapName()).isEqualTo(TAP);
        assertThat(fake.calls.subList(0, 5))
                .containsExactly(
                        "ip -d -j addr show; ip -j route show default",
                        "tc -j qdisc show",
                        "tc -j filter show dev eth0 ingress",
                        "tc qdisc del dev eth0 ingress",
                        "ip link del dev " + TAP);
        assertThat(fake.links.get("eth0").redirects).containsExactly(TAP);
        assertThat(fake.links.get(TAP).redirects).containsExactly("eth0");
    }

    @Test
    void aStaleTapIsRemovedEvenWhenTheNamespaceNoLongerHasADefaultRoute() throws Exception {
        network.setup(NS, ID);
        fake.routes.clear();

        assertThat(network.setup(NS, ID)).isEmpty();
        assertThat(fake.links).doesNotContainKey(TAP);
        assertThat(fake.links.get("eth0").ingressQdisc).isFalse();
    }

    @Test
    void anotherContainersTapMakesTheNamespaceBusy() throws Exception {
        network.setup(NS, "other");
        List<String> before = fake.snapshot();
        fake.calls.clear();

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOfSatisfying(NetnsBusyException.class, e -> {
            assertThat(e.step()).isEqualTo(SetupStep.CHECK_CONFLICT);
            assertThat(e.otherTap()).isEqualTo(TapName.forContainer("other"));
            assertThat(e.getMessage()).contains("jurunc container other", "one sandbox");
        });
        assertThat(fake.snapshot()).isEqualTo(before);
        assertThat(fake.calls).hasSize(1);
    }

    @Test
    void anInterfaceWithoutEthernetAddressIsRefused() {
        fake.links.get("eth0").mac = "";

        assertThatThrownBy(() -> network.setup(NS, ID))
                .isInstanceOfSatisfying(
                        NetworkSetupException.class, e -> assertThat(e.step()).isEqualTo(SetupStep.CHECK_INTERFACE));
        assertThat(fake.links).doesNotContainKey(TAP);
    }

    @Test
    void aMissingNamespaceFailsAtInspectWithAFix() {
        fake.gone = true;

        assertThatThrownBy(() -> network.setup(NS, ID)).isInstanceOfSatisfying(NetworkSetupException.class, e -> {
            assertThat(e.step()).isEqualTo(SetupStep.INSPECT);
            assertThat(e.getMessage()).contains("does not exist", "linux.namespaces");
        });
    }

    @Test
    void teardownRemovesEverythingSetupAdded() throws Exception {
        List<String> before = fake.snapshot();
        network.setup(NS, ID);
        fake.calls.clear();

        network.teardown(NS, ID);

        assertThat(fake.snapshot()).isEqualTo(before);
        assertThat(fake.calls)
                .containsExactly(
                        "ip -d -j addr show; ip -j route show default",
                        "tc -j qdisc show",
                        "tc -j filter show dev eth0 ingress",
                        "tc qdisc del dev eth0 ingress",
                        "ip link del dev " + TAP);
    }

    @Test
    void teardownIsIdempotent() throws Exception {
        network.setup(NS, ID);
        network.teardown(NS, ID);
        List<String> after = fake.snapshot();
        fake.calls.clear();

        network.teardown(NS, ID);

        assertThat(fake.snapshot()).isEqualTo(after);
        assertThat(fake.calls).containsExactly("ip -d -j addr show; ip -j route show default");
    }

    @Test
    void teardownOfAGoneNamespaceSucceeds() throws Exception {
        network.setup(NS, ID);
        fake.gone = true;

        network.teardown(NS, ID);

        assertThat(fake.calls.getLast()).endsWith("# netns gone");
    }

    @Test
    void teardownLeavesOtherIngressQdiscsAlone() throws Exception {
        FakeNetns.Link other = fake.addLink("net1", 1500, "0a:00:00:00:00:07", "veth");
        other.ingressQdisc = true;
        other.redirects.add("ifb0");
        network.setup(NS, ID);

        network.teardown(NS, ID);

        assertThat(other.ingressQdisc).isTrue();
        assertThat(other.redirects).containsExactly("ifb0");
        assertThat(fake.links.get("eth0").ingressQdisc).isFalse();
    }

    @Test
    void teardownOfAnotherContainerLeavesTheSandboxAlone() throws Exception {
        network.setup(NS, ID);
        List<String> before = fake.snapshot();

        network.teardown(NS, "someone-else");

        assertThat(fake.snapshot()).isEqualTo(before);
    }

    @Test
    void aFailingTeardownIsTypedAndNamesWhatIsLeft() throws Exception {
        network.setup(NS, ID);
        fake.failWhen(c -> c.startsWith("ip link del"));

        assertThatThrownBy(() -> network.teardown(NS, ID))
                .isInstanceOf(NetworkTeardownException.class)
                .hasMessageContaining("container c1")
                .hasMessageContaining("ip link del " + TAP);
    }

    @Test
    void blankContainerIdsAreRejected() {
        assertThatThrownBy(() -> network.setup(NS, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.calls).isEmpty();
    }
}
