package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.ports.GuestPacker;
import io.jurunc.runtime.ports.SandboxNetwork;
import io.jurunc.runtime.ports.VmPlanner;
import io.jurunc.runtime.state.StateStore;
import io.jurunc.runtime.timestamps.Timestamps;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every lifecycle operation works with: the state root, the host config, the OS boundary and
 * the sandbox services. Built once per CLI invocation (or once per shim daemon).
 *
 * @param log receives warnings meant for the runtime log (e.g. the KVM fallback)
 */
public record RuntimeContext(
        StateStore store,
        JuruncConfig config,
        Host host,
        Timestamps timestamps,
        VmPlanner planner,
        SandboxNetwork network,
        GuestPacker packer,
        Consumer<String> log) {
    public RuntimeContext {
        Objects.requireNonNull(store);
        Objects.requireNonNull(config);
        Objects.requireNonNull(host);
        Objects.requireNonNull(timestamps);
        Objects.requireNonNull(planner);
        Objects.requireNonNull(network);
        Objects.requireNonNull(packer);
        Objects.requireNonNull(log);
    }
}
