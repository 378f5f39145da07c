package io.jurunc.runtime.wiring;

import io.jurunc.runtime.lifecycle.SandboxException;
import io.jurunc.runtime.net.ContainerNetwork;
import io.jurunc.runtime.net.NetnsRef;
import io.jurunc.runtime.net.NetworkSetupException;
import io.jurunc.runtime.net.NetworkTeardownException;
import io.jurunc.runtime.ports.SandboxNetwork;
import io.jurunc.runtime.vm.GuestNet;
import java.nio.file.Path;
import java.util.Optional;

/** {@link SandboxNetwork} over the net package's tap + tc redirect. */
final class TapSandboxNetwork implements SandboxNetwork {
  private ContainerNetwork network;

  private ContainerNetwork network() {
    if (network == null) network = ContainerNetwork.system();
    return network;
  }

  @Override
  public Optional<GuestNet> setup(Path netns, String containerId) throws SandboxException {
    try {
      return network().setup(NetnsRef.of(netns.toString()), containerId);
    } catch (NetworkSetupException e) {
      throw new SandboxException("network setup failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new SandboxException("network namespace " + netns + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void teardown(Path netns, String containerId) throws SandboxException {
    try {
      network().teardown(NetnsRef.of(netns.toString()), containerId);
    } catch (NetworkTeardownException e) {
      throw new SandboxException("network teardown failed: " + e.getMessage(), e);
    }
  }
}
