package io.jurunc.runtime.net;

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

  public ContainerNetwork(NetTool netTool, TunTap tunTap) {
    this.netTool = Objects.requireNonNull(netTool, "netTool");
    this.tunTap = Objects.requireNonNull(tunTap, "tunTap");
  }

  /** The real one: taps through FFM ioctls, everything else through rtnetlink (no ip/tc process). */
  public static ContainerNetwork system() {
    Syscalls sys = Syscalls.linux();
    return new ContainerNetwork(new NetlinkNetTool(new NetlinkSessions(sys)), new FfmTunTap(sys));
  }

  /** {@link #setup(NetnsRef, String, Optional)} with a root-owned tap. */
  public Optional<GuestNet> setup(NetnsRef netns, String containerId)
      throws NetworkSetupException {
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
    return new NetworkSetup(netTool, tunTap).run(netns, containerId, owner);
  }

  /**
   * Removes the container's tap, qdiscs and filters from {@code netns}. Does nothing when there is
   * no such tap or the namespace is gone.
   */
  public void teardown(NetnsRef netns, String containerId) throws NetworkTeardownException {
    Objects.requireNonNull(netns, "netns");
    new NetworkTeardown(netTool).run(netns, containerId);
  }
}
