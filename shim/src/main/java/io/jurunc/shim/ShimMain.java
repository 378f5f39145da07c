package io.jurunc.shim;

import io.jurunc.shim.backend.Backends;
import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.cmdline.ShimVersion;
import io.jurunc.shim.cmdline.UsageException;
import io.jurunc.shim.daemon.ShimDaemon;
import io.jurunc.shim.os.LinuxShimOs;
import io.jurunc.shim.start.HolderDaemonLauncher;
import io.jurunc.shim.start.JvmDaemonLauncher;
import io.jurunc.shim.start.StartCommand;
import io.jurunc.shim.start.StartException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code containerd-shim-jurunc-v2}: the shim v2 binary protocol ({@code start}, {@code delete},
 * {@code -v}, {@code -info}) and, with no action, the resident daemon.
 */
public final class ShimMain {
    private ShimMain() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) {
        ShimFlags flags;
        try {
            flags = ShimFlags.parse(args);
        } catch (UsageException e) {
            System.err.println(ShimVersion.BINARY_NAME + ": " + e.getMessage());
            return 2;
        }
        try {
            if (flags.version()) {
                System.out.print(ShimVersion.text());
                return 0;
            }
            if (flags.info()) {
                System.out.write(InfoCommand.run(System.in.readAllBytes()));
                System.out.flush();
                return 0;
            }
            Path cwd = Path.of("").toAbsolutePath();
            if (flags.action().isEmpty()) {
                if (flags.socket().isEmpty()) {
                    throw new UsageException("the daemon needs -socket (it is started by `start`)");
                }
                return ShimDaemon.run(flags, System.getenv());
            }
            switch (flags.action().get()) {
                case "start" -> {
                    byte[] out = new StartCommand(HolderDaemonLauncher.choose(
                                    JvmDaemonLauncher.fromCurrentProcess(args),
                                    System.getenv(),
                                    Optional.ofNullable(System.getProperty("jurunc.home"))))
                            .run(flags, System.in.readAllBytes(), cwd, System.getenv());
                    System.out.write(out);
                    System.out.flush();
                }
                case "delete" -> {
                    flags.require("namespace", "id");
                    Path bundle = flags.bundle().map(Path::of).orElse(cwd);
                    LinuxShimOs os = new LinuxShimOs();
                    byte[] out = new DeleteCommand(
                                    os,
                                    Backends.standard(flags.namespace(), System.getenv(), os, System.err::println),
                                    System.err::println)
                            .run(flags.id(), bundle, Instant.now());
                    System.out.write(out);
                    System.out.flush();
                }
                default ->
                    throw new UsageException("unknown action " + flags.action().get());
            }
            return 0;
        } catch (UsageException e) {
            System.err.println(ShimVersion.BINARY_NAME + ": " + e.getMessage());
            return 2;
        } catch (StartException | IOException e) {
            System.err.println(ShimVersion.BINARY_NAME + ": " + e.getMessage());
            return 1;
        }
    }
}
