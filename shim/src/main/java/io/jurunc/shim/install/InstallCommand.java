package io.jurunc.shim.install;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jurunc install containerd}: puts {@code containerd-shim-jurunc-v2} on containerd's PATH and
 * registers the {@code jurunc} runtime handler (with the {@code com.urunc.unikernel.*} annotation
 * pass-through) in containerd's config. Idempotent; {@code --dry-run} prints the plan; {@code --uninstall}
 * undoes it.
 */
@Command(name = "containerd", mixinStandardHelpOptions = true,
        description = {"Install the jurunc shim into containerd (restart containerd afterwards).",
                "Idempotent: only what differs from the wanted state is changed."})
public final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "containerd config file (default: ${DEFAULT-VALUE})")
    Path config = Path.of("/etc/containerd/config.toml");

    @Option(names = "--drop-in", description = "write the runtime into this drop-in file (must be imported by --config)")
    Path dropIn;

    @Option(names = "--handler", description = "CRI runtime handler name, as in RuntimeClass.handler (default: ${DEFAULT-VALUE})")
    String handler = "jurunc";

    @Option(names = "--shim", description = "the containerd-shim-jurunc-v2 launcher shipped with jurunc"
            + " (default: <jurunc's install dir>/bin/containerd-shim-jurunc-v2)")
    Path shim;

    @Option(names = "--bin-dir", description = "directory on containerd's PATH for the shim (default: ${DEFAULT-VALUE})")
    Path binDir = Path.of("/usr/local/bin");

    @Option(names = "--dry-run", description = "print what would change, change nothing")
    boolean dryRun;

    @Option(names = "--uninstall", description = "remove the shim link and the runtime config again")
    boolean uninstall;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> source = Optional.ofNullable(shim).or(() -> Optional.ofNullable(System.getProperty("jurunc.home",
                        System.getenv("JURUNC_HOME")))
                .map(h -> Path.of(h, "bin", "containerd-shim-jurunc-v2")));
        InstallPlanner planner = new InstallPlanner(config, Optional.ofNullable(dropIn), handler,
                binDir.resolve("containerd-shim-jurunc-v2"), source);
        List<InstallAction> actions;
        try {
            actions = uninstall ? planner.uninstall() : planner.install();
        } catch (InstallException | IllegalArgumentException e) {
            err.println("jurunc install containerd: " + e.getMessage());
            return 1;
        }
        if (actions.isEmpty()) {
            out.println(uninstall ? "nothing to remove: jurunc is not installed in containerd"
                    : "already installed: nothing to change");
            return 0;
        }
        for (InstallAction a : actions) {
            out.println((dryRun ? "would " : "") + a.describe());
            if (!dryRun) {
                try {
                    a.apply();
                } catch (IOException e) {
                    err.println("jurunc install containerd: " + a.describe().lines().findFirst().orElse("")
                            + " failed: " + e.getMessage());
                    return 1;
                }
            }
        }
        if (!dryRun) {
            out.println("restart containerd to apply (e.g. systemctl restart containerd)");
        }
        out.flush();
        return 0;
    }
}
