package io.jurunc.runtime.wiring;

import io.jurunc.runtime.net.ContainerNetwork;
import io.jurunc.runtime.net.NetnsRef;
import io.jurunc.runtime.net.NetworkSetupException;
import io.jurunc.runtime.net.NetworkTeardownException;
import io.jurunc.runtime.net.TapOwner;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.ports.SandboxNetwork;
import io.jurunc.runtime.sandbox.MonitorUser;
import io.jurunc.runtime.vm.GuestNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** {@link SandboxNetwork} over the net package's tap + tc redirect. */
final class TapSandboxNetwork implements SandboxNetwork {
    private ContainerNetwork network;

    private ContainerNetwork network() {
        if (network == null) network = ContainerNetwork.system();
        return network;
    }

    @Override
    public Optional<GuestNet> setup(Path netns, String containerId, MonitorUser owner) throws SandboxException {
        refuseHostNamespace(netns);
        try {
            return network()
                    .setup(
                            NetnsRef.of(netns.toString()),
                            containerId,
                            Optional.of(new TapOwner(owner.uid(), owner.gid())));
        } catch (NetworkSetupException e) {
            throw new SandboxException("network setup failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SandboxException("network namespace " + netns + ": " + e.getMessage(), e);
        }
    }

    /**
     * A safety net: a sandbox's tap and tc redirects never go into the runtime's own network namespace
     * (the host's, for the CLI and the shim) or init's, where that one can be read.
     */
    static void refuseHostNamespace(Path netns) throws SandboxException {
        Object target;
        try {
            target = Files.readAttributes(netns, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            throw new SandboxException("network namespace " + netns + " cannot be inspected: " + e, e);
        }
        for (String own : new String[] {"/proc/self/ns/net", "/proc/1/ns/net"}) {
            Object key;
            try {
                key = Files.readAttributes(Path.of(own), BasicFileAttributes.class)
                        .fileKey();
            } catch (IOException e) {
                continue; // /proc/1 may be hidden from us
            }
            if (target != null && target.equals(key)) {
                throw new SandboxException("refusing to set up the sandbox network in the host's network namespace ("
                        + netns + "); give the container its own network namespace");
            }
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
