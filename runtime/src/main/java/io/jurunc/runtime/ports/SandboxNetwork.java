package io.jurunc.runtime.ports;

import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.vm.GuestNet;
import java.nio.file.Path;
import java.util.Optional;

/** Tap + tc redirect inside the container's network namespace. */
public interface SandboxNetwork {
    /**
     * Empty when the netns has no interface holding the default route (the VM gets no NIC).
     *
     * @param owner the monitor's user: the tap is made theirs (TUNSETOWNER/TUNSETGROUP) so that the
     *     monitor opens it without CAP_NET_ADMIN
     */
    Optional<GuestNet> setup(Path netns, String containerId, MonitorUser owner) throws SandboxException;

    /** Idempotent; tolerates a netns that is already gone. */
    void teardown(Path netns, String containerId) throws SandboxException;
}
