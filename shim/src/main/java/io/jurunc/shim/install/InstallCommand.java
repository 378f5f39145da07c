package io.jurunc.shim.install;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
@Command(
        name = "containerd",
        mixinStandardHelpOptions = true,
        description = {
            "Install the jurunc shim into containerd (restart containerd afterwards).",
            "Idempotent: only what differs from the wanted state is changed."
        })
public final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "containerd config file (default: ${DEFAULT-VALUE})")
    Path config = Path.of("/etc/containerd/config.toml");

    @Option(
            names = "--drop-in",
            description = "write the runtime into this drop-in file (must be imported by --config)")
    Path dropIn;

    @Option(
            names = "--handler",
            description = "CRI runtime handler name, as in RuntimeClass.handler (default: ${DEFAULT-VALUE})")
    String handler = "jurunc";

    @Option(
            names = "--shim",
            description = "the containerd-shim-jurunc-v2 launcher shipped with jurunc"
                    + " (default: <jurunc's install dir>/bin/containerd-shim-jurunc-v2)")
    Path shim;

    @Option(
            names = "--bin-dir",
            description = "directory on containerd's PATH for the shim (default: ${DEFAULT-VALUE})")
    Path binDir = Path.of("/usr/local/bin");

    @Option(names = "--dry-run", description = "print what would change, change nothing")
    boolean dryRun;

    @Option(names = "--uninstall", description = "remove the shim link and the runtime config again")
    boolean uninstall;

    @Option(
            names = "--containerd-address",
            description = "containerd's socket; when it is there, the node's shim"
                    + " daemon is started ahead of the first container (default: ${DEFAULT-VALUE})")
    Path containerdAddress = Path.of("/run/containerd/containerd.sock");

    @Option(
            names = "--namespace",
            description = "containerd namespace of the pre-started daemon (default: ${DEFAULT-VALUE}," + " the CRI's)")
    String namespace = "k8s.io";

    @Option(names = "--no-start-daemon", description = "do not start the node's shim daemon now")
    boolean noStartDaemon;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Path> source = Optional.ofNullable(shim)
                .or(() -> Optional.ofNullable(System.getProperty("jurunc.home", System.getenv("JURUNC_HOME")))
                        .map(h -> Path.of(h, "bin", "containerd-shim-jurunc-v2")));
        InstallPlanner planner = new InstallPlanner(
                config, Optional.ofNullable(dropIn), handler, binDir.resolve("containerd-shim-jurunc-v2"), source);
        List<InstallAction> actions;
        try {
            actions = uninstall ? planner.uninstall() : planner.install();
        } catch (InstallException | IllegalArgumentException e) {
            err.println("jurunc install containerd: " + e.getMessage());
            return 1;
        }
        if (actions.isEmpty()) {
            out.println(
                    uninstall
                            ? "nothing to remove: jurunc is not installed in containerd"
                            : "already installed: nothing to change");
            return uninstall ? 0 : startDaemon(source, out, err);
        }
        for (InstallAction a : actions) {
            out.println((dryRun ? "would " : "") + a.describe());
            if (!dryRun) {
                try {
                    a.apply();
                } catch (IOException e) {
                    err.println("jurunc install containerd: "
                            + a.describe().lines().findFirst().orElse("") + " failed: " + e.getMessage());
                    return 1;
                }
            }
        }
        if (!dryRun) {
            out.println("restart containerd to apply (e.g. systemctl restart containerd)");
        }
        out.flush();
        return uninstall ? 0 : startDaemon(source, out, err);
    }

    /**
     * Starts the node's shim daemon now, as containerd would for the first container ({@code shim start} in a
     * scratch directory), so that no container pays its JVM start. Skipped where containerd is not running.
     */
    private int startDaemon(Optional<Path> source, PrintWriter out, PrintWriter err) {
        if (noStartDaemon || source.isEmpty()) {
            return 0;
        }
        if (!Files.exists(containerdAddress)) {
            out.println("shim daemon not started: no containerd socket at " + containerdAddress
                    + " (the first container starts it)");
            return 0;
        }
        if (dryRun) {
            out.println("would start the node's shim daemon for namespace " + namespace);
            return 0;
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("jurunc-shim-start");
            List<String> cmd = List.of(
                    source.get().toString(),
                    "-namespace",
                    namespace,
                    "-address",
                    containerdAddress.toString(),
                    "-publish-binary",
                    containerdBinary(),
                    "-id",
                    "jurunc-node",
                    "start");
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(scratch.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("TTRPC_ADDRESS", containerdAddress + ".ttrpc");
            Process p = pb.start();
            String address = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String why = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                err.println("jurunc install containerd: the shim daemon did not start: " + why.strip());
                return 1;
            }
            out.println("node shim daemon serving at " + address.strip());
            return 0;
        } catch (IOException e) {
            err.println("jurunc install containerd: cannot start the shim daemon: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (scratch != null) {
                try (java.util.stream.Stream<Path> files = Files.list(scratch)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(scratch);
                } catch (IOException ignored) {
                    // a temp directory: the OS reclaims it
                }
            }
        }
    }

    /** containerd's binary for the event fallback: from PATH, else the name. */
    private static String containerdBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path c = Path.of(dir.isEmpty() ? "." : dir, "containerd");
            if (Files.isExecutable(c)) {
                return c.toString();
            }
        }
        return "containerd";
    }
}
