package io.jurunc.shim.start;

import io.jurunc.shim.cmdline.ShimVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-executes this JVM as the daemon: the same java binary and JVM options (read back from the running
 * command line, whose trailing shim arguments are replaced), under {@code setsid} so that containerd
 * killing the {@code start} process group leaves it alone. stdio go to /dev/null: containerd reads the
 * stdout of {@code start} until EOF, so the daemon must not hold it.
 */
public final class JvmDaemonLauncher implements DaemonLauncher {
    static final String NAME_PROPERTY = "-Djurunc.shim=" + ShimVersion.BINARY_NAME;
    /**
     * The resident daemon's memory settings, before the launcher's own options (so that JURUNC_JAVA_OPTS
     * still wins): a small initial heap that the serial collector gives back when it shrinks, a bounded
     * heap and a small code cache. Idle daemon on this machine: 73.5 MiB RSS / 56.0 MiB PSS without them,
     * 65.6 / 48.2 with them (2026-12-02, load ~19).
     */
    static final List<String> DAEMON_FLAGS = List.of(
            "-Xms4m", "-Xmx256m", "-XX:MinHeapFreeRatio=5", "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=16m");

    private final List<String> jvmCommand;

    public JvmDaemonLauncher(List<String> jvmCommand) {
        this.jvmCommand = List.copyOf(jvmCommand);
    }

    /** The running JVM's command line up to and including the main class (i.e. without {@code shimArgs}). */
    public static JvmDaemonLauncher fromCurrentProcess(List<String> shimArgs) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        String java = info.command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return fromCommandLine(java, info.arguments().map(List::of).orElse(List.of()), shimArgs);
    }

    /**
     * The daemon's JVM command line from a {@code start} JVM's: {@code java} (the binary, links resolved, as
     * {@code /proc/<pid>/exe}), its arguments {@code all} and the shim arguments they end with. The native
     * {@code start} (shim-launcher.c) builds the same from the launcher script's printed command line.
     */
    static JvmDaemonLauncher fromCommandLine(String java, List<String> all, List<String> shimArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // Lets `ps | grep containerd-shim` (and test harnesses) find the daemon, as with Go shims.
        cmd.add(NAME_PROPERTY);
        cmd.addAll(DAEMON_FLAGS);
        if (all.size() >= shimArgs.size()
                && all.subList(all.size() - shimArgs.size(), all.size()).equals(shimArgs)) {
            all.subList(0, all.size() - shimArgs.size()).stream()
                    .filter(a -> !a.equals(NAME_PROPERTY) && !DAEMON_FLAGS.contains(a))
                    .forEach(cmd::add);
        } else {
            cmd.addAll(List.of(
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.jurunc.shim.ShimMain"));
        }
        return new JvmDaemonLauncher(cmd);
    }

    /** The JVM command line the daemon is started with (before its shim arguments). */
    List<String> command() {
        return jvmCommand;
    }

    @Override
    public Process launch(List<String> args, Path cwd) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(jvmCommand);
        cmd.addAll(args);
        return new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
