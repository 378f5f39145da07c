package io.jurunc.shim.start;

import io.jurunc.shim.recovery.HolderDir;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the daemon JVM behind {@code jurunc-shim-holder} ({@code shim/src/main/c/shim-holder.c}), which
 * owns the public socket and containerd's connections, so that they outlive a crash of the JVM: a fresh
 * state directory {@code <socket>.d} (nothing of an earlier holder is adopted: its connections are gone),
 * the JVM's command line in {@code <socket>.d/cmdline} (so that the holder's own command line does not look
 * like the daemon's), then {@code setsid jurunc-shim-holder <socket> <socket>.d}.
 */
public final class HolderDaemonLauncher implements DaemonLauncher {
    /** The holder binary, or {@code none} to run the JVM without one (no crash safety). */
    public static final String HOLDER_ENV = "JURUNC_SHIM_HOLDER";

    static final String BINARY = "jurunc-shim-holder";
    /** sizeof(sun_path) - 1. */
    static final int SOCKET_PATH_LIMIT = 107;

    private final Path holder;
    private final JvmDaemonLauncher jvm;

    public HolderDaemonLauncher(Path holder, JvmDaemonLauncher jvm) {
        this.holder = holder;
        this.jvm = jvm;
    }

    /**
     * The holder from {@value #HOLDER_ENV}, else {@code <jurunc.home>/libexec/jurunc-shim-holder} (built by
     * make-dist.sh), if executable; otherwise the JVM alone.
     */
    public static DaemonLauncher choose(JvmDaemonLauncher jvm, Map<String, String> env, Optional<String> home) {
        String configured = env.getOrDefault(HOLDER_ENV, "");
        if (configured.equals("none")) {
            return jvm;
        }
        Optional<Path> path = !configured.isEmpty()
                ? Optional.of(Path.of(configured))
                : home.filter(h -> !h.isEmpty()).map(h -> Path.of(h, "libexec", BINARY));
        return path.filter(Files::isExecutable)
                .<DaemonLauncher>map(p -> new HolderDaemonLauncher(p, jvm))
                .orElse(jvm);
    }

    @Override
    public Process launch(List<String> args, Path cwd) throws IOException {
        int at = args.indexOf("-socket");
        if (at < 0 || at + 1 >= args.size()) {
            throw new IllegalArgumentException("daemon arguments without -socket: " + args);
        }
        HolderDir dir = HolderDir.forSocket(Path.of(args.get(at + 1)));
        if (dir.privateSocket().toString().getBytes(StandardCharsets.UTF_8).length > SOCKET_PATH_LIMIT) {
            return jvm.launch(args, cwd); // no room for the private socket: no holder
        }
        fresh(dir.dir());
        List<String> cmd = new ArrayList<>(jvm.command());
        cmd.addAll(args);
        try (OutputStream out = Files.newOutputStream(dir.cmdline())) {
            for (String a : cmd) {
                out.write(a.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
        }
        // After "--" the holder's argv names the daemon (not read by it): clean-ups that find a containerd's
        // shims by "containerd-shim" and "-address ADDR" in their argv then stop the holder as well.
        List<String> holderCmd = new ArrayList<>(List.of(
                "setsid",
                holder.toString(),
                args.get(at + 1),
                dir.dir().toString(),
                "--",
                "containerd-shim-jurunc-v2"));
        holderCmd.addAll(args);
        return new ProcessBuilder(holderCmd)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Under the start lock: the state of a holder that is gone is removed, the directory made again (0700). */
    private static void fresh(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            Files.deleteIfExists(dir);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
