package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.metadata.UnikernelMetadata;
import io.jurunc.runtime.sandbox.IdAllocator;
import io.jurunc.runtime.vm.Vsock;
import io.jurunc.urunc.UruncKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives a guest the vAccel agent's address when its image asks for it
 * ({@code com.urunc.unikernel.vAccel}, as in urunc PR #352): {@code vsock} adds a vsock device
 * (Firecracker/Cloud Hypervisor proxy it over {@code <state>/vaccel.sock}, so the host agent listens
 * on {@code unix://<state>/vaccel.sock_<port>}; the guest CID is allocated host-wide, unique per
 * container) and the address defaults to {@code vsock://2:2048};
 * {@code tcp}/{@code unix} only pass the address. The address is
 * {@code com.urunc.unikernel.RPCAddress}, else {@code [vaccel] agent_address} in config.toml. The
 * guest receives it as {@code VACCEL_RPC_ADDRESS}, with {@code VACCEL_PLUGINS} defaulting to the
 * rpc plugin.
 */
record VaccelLink(Optional<Vsock> vsock, List<String> env) {
    static final String DEFAULT_VSOCK_ADDRESS = "vsock://2:2048";
    /** Guest CIDs: 0-2 are reserved (hypervisor, local, host); each container gets its own, host-wide. */
    static final long FIRST_CID = 3;

    static final long CID_COUNT = (1L << 31) - FIRST_CID;

    static VaccelLink none() {
        return new VaccelLink(Optional.empty(), List.of());
    }

    static VaccelLink of(
            UnikernelMetadata md,
            Optional<String> configured,
            String containerId,
            Path stateDir,
            List<String> processEnv,
            IdAllocator cids)
            throws JuruncException {
        if (md.vaccel().isEmpty()) return none();
        String transport = md.vaccel().get();
        String address =
                md.rpcAddress().or(() -> configured).orElse(transport.equals("vsock") ? DEFAULT_VSOCK_ADDRESS : "");
        if (address.isEmpty()) {
            throw new InvalidBundleException(UruncKeys.VACCEL + "=" + transport + " needs an agent address: set "
                    + UruncKeys.RPC_ADDRESS + " or [vaccel] agent_address in /etc/jurunc/config.toml");
        }
        if (!address.toLowerCase().startsWith(transport + "://")) {
            throw new InvalidBundleException(UruncKeys.RPC_ADDRESS + " '" + address + "' does not match "
                    + UruncKeys.VACCEL + "=" + transport + "; use " + transport + "://...");
        }
        List<String> env = new ArrayList<>();
        env.add("VACCEL_RPC_ADDRESS=" + address);
        if (processEnv.stream().noneMatch(e -> e.startsWith("VACCEL_PLUGINS=") || e.startsWith("VACCEL_BACKENDS="))) {
            env.add("VACCEL_PLUGINS=libvaccel-rpc.so");
        }
        Optional<Vsock> vsock = transport.equals("vsock")
                ? Optional.of(new Vsock(
                        cids.allocate(MonitorConfinement.CID_KIND, FIRST_CID, CID_COUNT, containerId),
                        stateDir.resolve("vaccel.sock")))
                : Optional.empty();
        return new VaccelLink(vsock, env);
    }
}
