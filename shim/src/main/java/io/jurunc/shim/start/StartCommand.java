package io.jurunc.shim.start;

import io.jurunc.oci.Json;
import io.jurunc.oci.SpecException;
import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.cmdline.UsageException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * {@code shim start}: finds the daemon of the container's group (see {@link GroupingId}) or starts one,
 * then prints its address in the format containerd understands (see {@link StartResult}).
 */
public final class StartCommand {
    static final Duration DAEMON_READY_TIMEOUT = Duration.ofSeconds(15);
    static final String ADDRESS_FILE = "address";
    /** Overrides the socket directory for containerd &le; 2.2 (tests, or a node with another layout). */
    public static final String SOCKET_ROOT_ENV = "JURUNC_SHIM_SOCKET_ROOT";

    private final DaemonLauncher launcher;

    public StartCommand(DaemonLauncher launcher) {
        this.launcher = launcher;
    }

    /** Runs {@code start} in {@code bundle}; returns the bytes to print. */
    public byte[] run(ShimFlags flags, byte[] stdin, Path bundle, Map<String, String> env)
            throws UsageException, StartException {
        flags.require("namespace", "id", "address");
        Bootstrap bootstrap = Bootstrap.decode(stdin, flags.id(), flags.namespace());
        Map<String, String> annotations;
        try {
            annotations = Json.loadSpec(bundle).annotations();
        } catch (SpecException e) {
            annotations = Map.of();
        }
        GroupingId.Scope scope;
        try {
            scope = GroupingId.Scope.fromEnv(env);
        } catch (IllegalArgumentException e) {
            throw new StartException(e.getMessage());
        }
        String group = GroupingId.of(flags.id(), annotations, scope);
        String grpc = bootstrap instanceof Bootstrap.Params(var p)
                        && !p.getContainerdGrpcAddress().isEmpty()
                ? p.getContainerdGrpcAddress()
                : flags.address();
        SocketAddress address;
        try {
            address = SocketAddress.derive(socketRoot(bootstrap, env), grpc, flags.namespace(), group);
        } catch (IllegalArgumentException e) {
            throw new StartException(e.getMessage());
        }
        ensureDaemon(
                flags,
                address,
                group,
                scope == GroupingId.Scope.NODE ? address.path().getParent() : bundle);
        writeAddress(bundle, address);
        return StartResult.answering(bootstrap, address).encode();
    }

    /**
     * The socket directory: containerd &ge; 2.3's {@code socket_dir}, else {@value #SOCKET_ROOT_ENV} (an absolute
     * path; the native launcher honours it too), else containerd's {@code /run/containerd/s}.
     */
    static Path socketRoot(Bootstrap bootstrap, Map<String, String> env) throws StartException {
        if (bootstrap instanceof Bootstrap.Params) {
            return bootstrap.socketRoot();
        }
        String override = env.getOrDefault(SOCKET_ROOT_ENV, "");
        if (override.isEmpty()) {
            return SocketAddress.DEFAULT_ROOT;
        }
        Path root = Path.of(override);
        if (!root.isAbsolute()) {
            throw new StartException(SOCKET_ROOT_ENV + "=" + override + " is not an absolute path");
        }
        return root;
    }

    /**
     * containerd 1.x reconnects after a restart from {@code <bundle>/address}, which the shim writes (as
     * the Go shim library's WriteAddress does); containerd 2.x keeps its own {@code bootstrap.json}.
     */
    static void writeAddress(Path bundle, SocketAddress address) throws StartException {
        Path file = bundle.resolve(ADDRESS_FILE);
        Path tmp = bundle.resolve("." + ADDRESS_FILE + ".tmp");
        try {
            Files.writeString(tmp, address.uri());
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Starts the daemon of {@code group} unless one serves; a node daemon runs in the socket directory. */
    private void ensureDaemon(ShimFlags flags, SocketAddress address, String group, Path cwd) throws StartException {
        Path socket = address.path();
        Path lockFile = lockFile(socket);
        try {
            Files.createDirectories(socket.getParent());
            while (true) {
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    Object before = fileKey(lockFile);
                    try (FileLock ignored = ch.lock()) {
                        // The daemon removes the lock file when it exits (under the lock): if it is gone or
                        // replaced, this lock guards nothing; take the current one.
                        if (before == null || !before.equals(fileKey(lockFile))) {
                            continue;
                        }
                        spawnUnlessServing(flags, socket, group, cwd);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw new StartException("cannot start the shim daemon for " + socket + ": " + e.getMessage());
        }
    }

    /** The lock serialising {@code start}s of one group: the socket path plus {@code .lock}. */
    public static Path lockFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".lock");
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private void spawnUnlessServing(ShimFlags flags, Path socket, String group, Path cwd)
            throws StartException, IOException {
        if (canConnect(socket)) {
            return;
        }
        Files.deleteIfExists(socket);
        Process daemon = launcher.launch(flags.daemonArgs(socket.toString(), group), cwd);
        adjustOomScore(daemon.pid());
        long deadline = System.nanoTime() + DAEMON_READY_TIMEOUT.toNanos();
        while (!canConnect(socket)) {
            if (!daemon.isAlive()) {
                throw new StartException("shim daemon exited with status " + daemon.exitValue()
                        + " before listening on " + socket + " (see containerd's log)");
            }
            if (System.nanoTime() > deadline) {
                daemon.destroyForcibly();
                throw new StartException("shim daemon did not listen on " + socket + " within "
                        + DAEMON_READY_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                daemon.destroyForcibly();
                throw new StartException("interrupted while starting the shim daemon");
            }
        }
    }

    static boolean canConnect(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** As the runc shim: the daemon's OOM score is the caller's plus one (best effort). */
    private static void adjustOomScore(long pid) {
        try {
            int own = Integer.parseInt(
                    Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
            Files.writeString(
                    Path.of("/proc", Long.toString(pid), "oom_score_adj"), Integer.toString(Math.min(own + 1, 1000)));
        } catch (IOException | NumberFormatException | SecurityException ignored) {
            // not fatal: the daemon keeps the default score
        }
    }
}
