package io.jurunc.runtime.net;

import io.jurunc.runtime.vm.GuestNet;
import java.util.Optional;

/**
 * The setup operation: a tap next to the container interface, with tc redirecting each one's
 * ingress to the other's egress, so the guest behind the tap takes the interface's place on the
 * wire. See docs/network.md.
 */
final class NetworkSetup {
    private final NetTool netTool;
    private final TunTap tunTap;

    NetworkSetup(NetTool netTool, TunTap tunTap) {
        this.netTool = netTool;
        this.tunTap = tunTap;
    }

    Optional<GuestNet> run(NetnsRef netns, String containerId, Optional<TapOwner> owner) throws NetworkSetupException {
        TapName.requireId(containerId);
        String tap = TapName.forContainer(containerId);
        Context ctx = new Context(netns, containerId);

        NetnsState state;
        try {
            state = netTool.inspect(netns);
        } catch (NetOperationException e) {
            throw ctx.failure(
                    SetupStep.INSPECT,
                    e,
                    e.netnsGone()
                            ? "point the container's network namespace (config.json linux.namespaces, type network)"
                                    + " at an existing namespace"
                            : null);
        }
        if (state.link(tap).isPresent()) {
            try {
                NetworkTeardown.removeSandbox(netTool, netns, tap);
            } catch (NetOperationException e) {
                throw ctx.failure(
                        SetupStep.REMOVE_STALE, e, "remove it by hand: ip link del " + tap + " (inside " + netns + ")");
            }
        }
        Optional<NetnsState.Uplink> found = state.uplink();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LinkInfo uplink = found.get().link();
        if (uplink.mac().isEmpty()) {
            throw new NetworkSetupException(
                    SetupStep.CHECK_INTERFACE,
                    ctx.prefix(SetupStep.CHECK_INTERFACE) + uplink.name()
                            + " holds the default route but has no Ethernet address; the guest can"
                            + " only take over an Ethernet interface (veth, bridge port, macvlan)",
                    null);
        }
        for (LinkInfo link : state.links()) {
            if (!link.name().equals(tap) && TapName.isJuruncTap(link.name())) {
                throw new NetnsBusyException(
                        ctx.prefix(SetupStep.CHECK_CONFLICT)
                                + "the namespace already has jurunc tap " + link.name()
                                + (link.alias().isEmpty() ? "" : " (" + link.alias() + ")")
                                + "; a network namespace holds one sandbox: delete that container first, or give this"
                                + " one its own namespace",
                        link.name());
            }
        }

        Rollback rollback = new Rollback(netns, tap, uplink.name());
        SetupStep step = SetupStep.CREATE_TAP;
        try {
            tunTap.createTap(netns, tap, owner);
            rollback.tapCreated = true;
            step = SetupStep.CONFIGURE_TAP;
            netTool.configureTap(netns, tap, uplink.mtu(), TapName.aliasFor(containerId));
            step = SetupStep.ADD_TAP_QDISC;
            netTool.addIngressQdisc(netns, tap);
            step = SetupStep.ADD_INTERFACE_QDISC;
            netTool.addIngressQdisc(netns, uplink.name());
            rollback.interfaceQdiscAdded = true;
            step = SetupStep.REDIRECT_TAP_TO_INTERFACE;
            netTool.addIngressRedirect(netns, tap, uplink.name());
            step = SetupStep.REDIRECT_INTERFACE_TO_TAP;
            netTool.addIngressRedirect(netns, uplink.name(), tap);
        } catch (NetOperationException e) {
            NetworkSetupException failure = ctx.failure(step, e, hint(step, uplink.name()));
            rollback.undo(failure);
            throw failure;
        }
        Ipv4Address address = uplink.primaryIpv4().orElseThrow();
        return Optional.of(new GuestNet(
                tap,
                uplink.name(),
                address.address(),
                address.prefixLength(),
                found.get().route().gateway().orElse(null),
                uplink.mac(),
                uplink.mtu()));
    }

    private static String hint(SetupStep step, String uplink) {
        return switch (step) {
            case CREATE_TAP -> "check that /dev/net/tun exists and the runtime runs as root";
            case ADD_INTERFACE_QDISC ->
                uplink + " probably has an ingress qdisc already (tc rules of"
                        + " another tool); remove it with: tc qdisc del dev " + uplink + " ingress";
            default -> null;
        };
    }

    private record Context(NetnsRef netns, String containerId) {
        String prefix(SetupStep step) {
            return "network setup for container " + containerId + " in " + netns + " failed at '" + step.description()
                    + "': ";
        }

        NetworkSetupException failure(SetupStep step, NetOperationException cause, String fix) {
            return new NetworkSetupException(
                    step, prefix(step) + cause.getMessage() + (fix == null ? "" : "; " + fix), cause);
        }
    }

    /** What this setup created so far, removed again in reverse order on failure. */
    private final class Rollback {
        private final NetnsRef netns;
        private final String tap;
        private final String uplink;
        boolean tapCreated;
        boolean interfaceQdiscAdded;

        Rollback(NetnsRef netns, String tap, String uplink) {
            this.netns = netns;
            this.tap = tap;
            this.uplink = uplink;
        }

        void undo(Exception failure) {
            if (interfaceQdiscAdded) {
                try {
                    netTool.deleteIngressQdisc(netns, uplink);
                } catch (NetOperationException e) {
                    failure.addSuppressed(e);
                }
            }
            if (tapCreated) {
                try {
                    netTool.deleteLink(netns, tap); // takes the tap's qdisc and filter with it
                } catch (NetOperationException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
