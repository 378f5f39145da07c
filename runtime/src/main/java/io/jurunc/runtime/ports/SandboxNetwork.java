package io.jurunc.runtime.ports;

import io.jurunc.runtime.lifecycle.SandboxException;
import io.jurunc.runtime.vm.GuestNet;
import java.nio.file.Path;
import java.util.Optional;

/** Tap + tc redirect inside the container's network namespace. */
public interface SandboxNetwork {
  /** Empty when the netns has no interface holding the default route (the VM gets no NIC). */
  Optional<GuestNet> setup(Path netns, String containerId) throws SandboxException;

  /** Idempotent; tolerates a netns that is already gone. */
  void teardown(Path netns, String containerId) throws SandboxException;
}
