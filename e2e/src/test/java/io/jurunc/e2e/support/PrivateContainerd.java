package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Debian's containerd (1.6) running privately under a temp directory: its own root, state, sockets and
 * CRI settings, so that it cannot touch or be touched by a system containerd or another test's.
 *
 * <pre>{@code
 * try (PrivateContainerd containerd = PrivateContainerd.start()) {
 *     Ctr ctr = containerd.ctr();
 *     ctr.importImage(archive, "jurunc.test/hello").requireSuccess();
 * }
 * }</pre>
 *
 * <p>{@link #close()} removes everything it can find even when the test failed: it kills and deletes
 * every task and container in every namespace, stops containerd, kills shims that still serve this
 * address (and their descendants), removes their sockets under {@code /run/containerd/s}, unmounts
 * whatever is mounted below the directory and deletes it.
 */
public final class PrivateContainerd implements AutoCloseable {

    /** The containerd namespace tests use unless they pick another. */
    public static final String NAMESPACE = "jurunc-e2e";

    private static final Path SHIM_SOCKET_DIR = Path.of("/run/containerd/s");
    private static final Duration START_LIMIT = Duration.ofSeconds(30);

    private final Host host;
    private final ProcFs proc;
    private final ContainerdConfig config;
    private final Spawned daemon;
    private final Set<String> usedNamespaces = new LinkedHashSet<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private Thread shutdownHook;

    private PrivateContainerd(Host host, ProcFs proc, ContainerdConfig config, Spawned daemon) {
        this.host = host;
        this.proc = proc;
        this.config = config;
        this.daemon = daemon;
        usedNamespaces.add(NAMESPACE);
    }

    /** Starts with the default config. */
    public static PrivateContainerd start() {
        return start(UnaryOperator.identity(), List.of());
    }

    /**
     * Starts with a customised config; {@code extraPath} is put in front of containerd's PATH so that
     * it finds shims such as {@code containerd-shim-jurunc-v2} there.
     */
    public static PrivateContainerd start(UnaryOperator<ContainerdConfig> customize, List<Path> extraPath) {
        return start(new RealHost(), ProcFs.system(), customize, extraPath, Map.of());
    }

    /**
     * Like {@link #start(UnaryOperator, List)}, with {@code env} added to containerd's environment, which its
     * shims (and their runtime calls) inherit.
     */
    public static PrivateContainerd start(
            UnaryOperator<ContainerdConfig> customize, List<Path> extraPath, Map<String, String> env) {
        return start(new RealHost(), ProcFs.system(), customize, extraPath, env);
    }

    static PrivateContainerd start(
            Host host, ProcFs proc, UnaryOperator<ContainerdConfig> customize, List<Path> extraPath) {
        return start(host, proc, customize, extraPath, Map.of());
    }

    private static PrivateContainerd start(
            Host host,
            ProcFs proc,
            UnaryOperator<ContainerdConfig> customize,
            List<Path> extraPath,
            Map<String, String> env) {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "jurunc-e2e-ctrd-");
        } catch (IOException e) {
            throw new HarnessException("cannot create a directory for containerd: " + e.getMessage(), e);
        }
        ContainerdConfig config = customize.apply(ContainerdConfig.defaults(dir));
        Spawned daemon = null;
        try {
            Files.createDirectories(config.cniConfDir());
            Files.writeString(config.configFile(), config.toToml());
            String path =
                    String.join(":", extraPath.stream().map(Path::toString).toList());
            String systemPath = System.getenv()
                    .getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            Command cmd = Command.of(
                            "containerd", "--config", config.configFile().toString())
                    .withEnv("PATH", path.isEmpty() ? systemPath : path + ":" + systemPath);
            for (var e : env.entrySet()) {
                cmd = cmd.withEnv(e.getKey(), e.getValue());
            }
            daemon = host.start(cmd, dir.resolve("containerd.out"), dir.resolve("containerd.log"));
            PrivateContainerd ctrd = new PrivateContainerd(host, proc, config, daemon);
            ctrd.awaitReady();
            // an interrupted test run (Ctrl-C) still cleans up; a SIGKILLed JVM cannot
            ctrd.shutdownHook = new Thread(ctrd::closeQuietly, "private-containerd-cleanup");
            Runtime.getRuntime().addShutdownHook(ctrd.shutdownHook);
            return ctrd;
        } catch (RuntimeException | IOException e) {
            HarnessException failure = new HarnessException(
                    "private containerd did not start: " + e.getMessage() + logTail(dir.resolve("containerd.log")), e);
            try {
                new PrivateContainerd(host, proc, config, daemon).close();
            } catch (RuntimeException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
            throw failure;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        CommandResult last = null;
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new HarnessException("containerd exited during start-up");
            }
            last = ctr().version();
            if (last.succeeded()) {
                return;
            }
            Waits.sleep(Duration.ofMillis(50));
        }
        throw new HarnessException("containerd did not answer `ctr version` within " + START_LIMIT.toSeconds() + " s"
                + (last == null ? "" : "\n" + last.describe()));
    }

    public ContainerdConfig config() {
        return config;
    }

    public Path dir() {
        return config.dir();
    }

    public Path address() {
        return config.grpcAddress();
    }

    /** The daemon's log (containerd logs to stderr). */
    public Path log() {
        return dir().resolve("containerd.log");
    }

    public long pid() {
        return daemon.pid();
    }

    /** A ctr client in {@link #NAMESPACE}. */
    public Ctr ctr() {
        return new Ctr(host, config.grpcAddress(), NAMESPACE, dir());
    }

    /** A ctr client in another namespace (it is cleaned up on close, too). */
    public Ctr ctr(String namespace) {
        usedNamespaces.add(namespace);
        return new Ctr(host, config.grpcAddress(), namespace, dir());
    }

    /** A per-instance directory suitable for {@code --runc-root}. */
    public Path runcRoot() {
        return dir().resolve("runc-root");
    }

    /** The containerd task bundle directory of a container, which must vanish after delete. */
    public Path taskBundle(String namespace, String id) {
        return config.state()
                .resolve("io.containerd.runtime.v2.task")
                .resolve(namespace)
                .resolve(id);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("private containerd cleanup: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; this call does the work
            }
        }
        Cleanup cleanup = new Cleanup();
        cleanup.defer("delete " + dir(), () -> deleteDir());
        cleanup.defer("remove empty runc roots", this::removeEmptyRuncRoots);
        cleanup.defer("unmount below " + dir(), this::unmountAll);
        cleanup.defer("kill leftover shims", this::killShims);
        cleanup.defer("stop containerd", () -> {
            if (daemon != null) {
                daemon.stop(Duration.ofSeconds(10));
            }
        });
        cleanup.defer("remove tasks and containers", this::removeContainers);
        cleanup.close();
    }

    private void removeContainers() {
        if (daemon == null || !daemon.isAlive()) {
            return;
        }
        Set<String> namespaces = new LinkedHashSet<>(usedNamespaces);
        CommandResult ns = ctr().ctr(Duration.ofSeconds(10), "namespaces", "list", "--quiet");
        if (ns.succeeded()) {
            namespaces.addAll(Ctr.lines(ns.stdout()));
        }
        for (String namespace : namespaces) {
            Ctr c = new Ctr(host, config.grpcAddress(), namespace, dir());
            CommandResult list = c.ctr(Duration.ofSeconds(10), "containers", "list", "--quiet");
            if (list.succeeded()) {
                for (String id : Ctr.lines(list.stdout())) {
                    c.forceRemove(id);
                }
            }
        }
    }

    /** Shims started for this containerd carry {@code -address <our socket>} in their argv. */
    private void killShims() {
        String address = config.grpcAddress().toString();
        List<ProcFs.Proc> shims = proc.processes().stream()
                .filter(p -> p.argv().stream().anyMatch(a -> a.equals(address)) && p.argvContains("containerd-shim"))
                .toList();
        for (ProcFs.Proc shim : shims) {
            List<ProcFs.Proc> victims = new ArrayList<>(proc.descendants(shim.pid()));
            victims.add(shim);
            for (ProcFs.Proc v : victims.reversed()) {
                ProcessHandle.of(v.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            argAfter(shim.argv(), "-namespace")
                    .ifPresent(ns -> argAfter(shim.argv(), "-id").ifPresent(id -> {
                        Path socket = shimSocket(address, ns, id);
                        try {
                            Files.deleteIfExists(socket);
                            // a node daemon's lock and log, and its holder's state directory (private socket,
                            // task journal, exit records), which a killed daemon cannot remove itself
                            for (String suffix : List.of(".lock", ".log")) {
                                Files.deleteIfExists(socket.resolveSibling(socket.getFileName() + suffix));
                            }
                            Path state = socket.resolveSibling(socket.getFileName() + ".d");
                            if (Files.isDirectory(state, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                                try (var walk = Files.walk(state)) {
                                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder())
                                            .toList()) {
                                        Files.deleteIfExists(p);
                                    }
                                }
                            }
                        } catch (IOException e) {
                            throw new HarnessException("cannot remove a shim socket or its state", e);
                        }
                    }));
        }
    }

    /** containerd 1.6's shim socket: {@code /run/containerd/s/<sha256(address/namespace/id)>}. */
    static Path shimSocket(String address, String namespace, String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(Path.of(address, namespace, id).toString().getBytes(StandardCharsets.UTF_8));
            return SHIM_SOCKET_DIR.resolve(HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.Optional<String> argAfter(List<String> argv, String flag) {
        int i = argv.indexOf(flag);
        return i >= 0 && i + 1 < argv.size() ? java.util.Optional.of(argv.get(i + 1)) : java.util.Optional.empty();
    }

    private void unmountAll() {
        for (Path mp : proc.mountPointsUnder(dir())) {
            CommandResult r = host.run(Command.of("umount", "-R", mp.toString()));
            if (!r.succeeded() && proc.mountPointsUnder(mp).contains(mp)) {
                host.run(Command.of("umount", "-R", "-l", mp.toString())).requireSuccess();
            }
        }
    }

    /** The runc shim's default {@code --root} is {@code /run/containerd/runc/<namespace>}; drop ours when empty. */
    private void removeEmptyRuncRoots() throws IOException {
        for (String ns : usedNamespaces) {
            Path root = Path.of("/run/containerd/runc", ns);
            if (Files.isDirectory(root)) {
                try (var entries = Files.list(root)) {
                    if (entries.findAny().isEmpty()) {
                        Files.delete(root);
                    }
                }
            }
        }
    }

    private void deleteDir() {
        List<Path> still = proc.mountPointsUnder(dir());
        if (!still.isEmpty()) {
            throw new HarnessException("not deleting " + dir() + ": still mounted below it: " + still);
        }
        FileTrees.deleteRecursively(dir());
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\ncontainerd log (tail):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "PrivateContainerd[" + dir() + "]";
    }
}
