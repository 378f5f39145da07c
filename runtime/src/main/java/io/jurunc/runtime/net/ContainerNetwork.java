package io.jurunc.runtime.net;

import io.jurunc.runtime.sys.NamespaceThread;
import io.jurunc.runtime.sys.Syscalls;
import io.jurunc.runtime.vm.GuestNet;
import java.util.Objects;
import java.util.Optional;

/**
 * A container's sandbox network: what create sets up and delete removes. Inside the container's
 * network namespace a tap is created next to the interface that holds the default route, and tc
 * redirects each one's ingress to the other, so the guest behind the tap takes over that
 * interface's IP, gateway and MAC. One sandbox per network namespace. See docs/network.md.
 */
public final class ContainerNetwork {
    private final NetTool netTool;
    private final TunTap tunTap;
    /** When present, a whole set-up or teardown runs on one thread joined to the namespace. */
    private final Optional<Syscalls> joinOnce;

    public ContainerNetwork(NetTool netTool, TunTap tunTap) {
        this(netTool, tunTap, Optional.empty());
    }

    ContainerNetwork(NetTool netTool, TunTap tunTap, Optional<Syscalls> joinOnce) {
        this.netTool = Objects.requireNonNull(netTool, "netTool");
        this.tunTap = Objects.requireNonNull(tunTap, "tunTap");
        this.joinOnce = Objects.requireNonNull(joinOnce, "joinOnce");
    }

    /**
     * The real one: taps through FFM ioctls, everything else through rtnetlink (no ip/tc process),
     * all steps of one set-up or teardown on a single thread inside the namespace (each step would
     * otherwise start and join a thread of its own).
     */
    public static ContainerNetwork system() {
        Syscalls sys = Syscalls.linux();
        return new ContainerNetwork(new NetlinkNetTool(new NetlinkSessions(sys)), new FfmTunTap(sys), Optional.of(sys));
    }

    /**
     * Runs {@code work} on one thread joined to {@code netns} when this network joins once; the
     * steps inside then run inline (see {@link NamespaceThread}). When the namespace cannot be
     * entered, the work runs as is and its first step reports why, exactly as without joining.
     */
    private <T, E extends Exception> T joined(NetnsRef netns, NamespaceThread.Task<T, E> work) throws E {
        if (joinOnce.isEmpty()) {
            return work.run();
        }
        try {
            return NamespaceThread.callInNetns(joinOnce.get(), netns.path(), work);
        } catch (NamespaceThread.EnterException e) {
            return work.run();
        }
    }

    /** {@link #setup(NetnsRef, String, Optional)} with a root-owned tap. */
    public Optional<GuestNet> setup(NetnsRef netns, String containerId) throws NetworkSetupException {
        return setup(netns, containerId, Optional.empty());
    }

    /**
     * Creates the container's tap and redirects in {@code netns}.
     *
     * @param owner who may open the tap without privileges, when the monitor runs unprivileged
     * @return the network the guest takes over, or empty when the namespace has no interface with a
     *     default route (the VM then gets no NIC)
     * @throws NetnsBusyException when another container's tap is already in the namespace
     * @throws NetworkSetupException when a step fails; nothing this call created is left behind
     */
    public Optional<GuestNet> setup(NetnsRef netns, String containerId, Optional<TapOwner> owner)
            throws NetworkSetupException {
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(owner, "owner");
        NetworkSetup setup = new NetworkSetup(netTool, tunTap);
        return joined(netns, () -> setup.run(netns, containerId, owner));
    }

    /**
     * Removes the container's tap, qdiscs and filters from {@code netns}. Does nothing when there is
     * no such tap or the namespace is gone.
     */
    public void teardown(NetnsRef netns, String containerId) throws NetworkTeardownException {
        Objects.requireNonNull(netns, "netns");
        NetworkTeardown teardown = new NetworkTeardown(netTool);
        joined(netns, () -> {
            teardown.run(netns, containerId);
            return null;
        });
    }
}
