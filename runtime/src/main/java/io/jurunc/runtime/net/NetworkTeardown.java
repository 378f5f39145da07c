package io.jurunc.runtime.net;

import java.util.List;

/**
 * The teardown operation: removes the container's tap and the ingress qdisc (with its redirect)
 * that setup put on the container interface. Idempotent; a namespace that is already gone counts
 * as torn down.
 */
final class NetworkTeardown {
    private final NetTool netTool;

    NetworkTeardown(NetTool netTool) {
        this.netTool = netTool;
    }

    void run(NetnsRef netns, String containerId) throws NetworkTeardownException {
        TapName.requireId(containerId);
        String tap = TapName.forContainer(containerId);
        try {
            if (netTool.inspect(netns).link(tap).isEmpty()) {
                return;
            }
            removeSandbox(netTool, netns, tap);
        } catch (NetOperationException e) {
            if (e.netnsGone()) {
                return;
            }
            throw new NetworkTeardownException(
                    "network teardown for container " + containerId + " in "
                            + netns + " failed: " + e.getMessage() + "; what is left can be removed with: ip link del "
                            + tap + " and tc qdisc del dev <interface> ingress (inside the namespace)",
                    e);
        }
    }

    /**
     * Deletes the ingress qdisc of every device whose ingress filters all redirect to {@code tap}
     * (the container interface), then the tap itself (its own qdisc and filter go with it).
     */
    static void removeSandbox(NetTool netTool, NetnsRef netns, String tap) throws NetOperationException {
        for (String dev : netTool.ingressQdiscDevices(netns)) {
            if (dev.equals(tap)) {
                continue;
            }
            List<String> targets = netTool.ingressRedirectTargets(netns, dev);
            if (!targets.isEmpty() && targets.stream().allMatch(tap::equals)) {
                netTool.deleteIngressQdisc(netns, dev);
            }
        }
        netTool.deleteLink(netns, tap);
    }
}
