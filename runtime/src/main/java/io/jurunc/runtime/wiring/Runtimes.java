package io.jurunc.runtime.wiring;

import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.LinuxHost;
import io.jurunc.runtime.host.Spawner;
import io.jurunc.runtime.lifecycle.RuntimeContext;
import io.jurunc.runtime.sandbox.SandboxSetupException;
import io.jurunc.runtime.state.StateStore;
import io.jurunc.runtime.timestamps.FileTimestamps;
import io.jurunc.runtime.timestamps.Timestamps;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds the production {@link RuntimeContext}. Everything heavy inside is created on first use. */
public final class Runtimes {
    private Runtimes() {}

    public static RuntimeContext context(Path root, JuruncConfig config, Consumer<String> log) {
        return context(root, config, log, Optional.empty());
    }

    /** Like {@link #context(Path, JuruncConfig, Consumer)}, with the processes create leaves behind started by {@code spawner}. */
    public static RuntimeContext context(
            Path root, JuruncConfig config, Consumer<String> log, Optional<Spawner> spawner) {
        Optional<Path> helper = execHelper(config);
        Timestamps ts = config.timestamps() ? new FileTimestamps(config.timestampsDestination()) : Timestamps.DISABLED;
        return new RuntimeContext(
                new StateStore(root),
                config,
                spawner.map(s -> new LinuxHost(helper, s)).orElseGet(() -> new LinuxHost(helper)),
                ts,
                new DefaultVmPlanner(config, HostFacts.linux(), log),
                new TapSandboxNetwork(),
                new KitGuestPacker(config.kitDir()),
                log);
    }

    /** The sandbox helper, which also execs hooks that want an argv0 of their own; empty when none is set up. */
    private static Optional<Path> execHelper(JuruncConfig config) {
        try {
            return Optional.of(config.sandbox().helperPath());
        } catch (SandboxSetupException e) {
            return Optional.empty();
        }
    }
}
