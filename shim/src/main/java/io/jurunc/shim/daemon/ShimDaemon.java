package io.jurunc.shim.daemon;

import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.Backends;
import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.events.BinaryEventForwarder;
import io.jurunc.shim.events.EventForwarder;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.events.TtrpcEventForwarder;
import io.jurunc.shim.os.LinuxShimOs;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import io.jurunc.shim.recovery.Adoption;
import io.jurunc.shim.recovery.DiskTaskJournal;
import io.jurunc.shim.recovery.HolderDir;
import io.jurunc.shim.recovery.TaskJournal;
import io.jurunc.shim.start.GroupingId;
import io.jurunc.shim.task.TaskService;
import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.TtrpcServer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * The resident shim: binds the socket {@code start} derived and serves the task API for every container of
 * its group. The node daemon (default scope) stays when its last container goes and exits on SIGTERM; a
 * pod-scope daemon exits on {@code Shutdown} once it holds no containers.
 */
public final class ShimDaemon {
    private ShimDaemon() {}

    /**
     * The task API socket: 0600, and peers are checked with SO_PEERCRED (same uid and gid as this
     * daemon, as containerd's own shims do), so a socket whose mode is widened still serves no one else.
     */
    static Listener listen(Path socket) throws IOException {
        Listener listener = Listener.unixSameUser(socket);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return listener;
    }

    /**
     * Under the start lock (so no {@code start} is deciding meanwhile): the socket, the log, the holder's
     * state directory (a clean stop: nothing is left to adopt), then the lock file. Synchronized: the SIGTERM
     * hook and the main thread both call it, and a second FileLock of the same JVM would throw
     * OverlappingFileLockException in the hook, which then let the JVM halt while the main thread was
     * still removing.
     */
    static synchronized void removeSocketAndLock(Path socket, ShimLog log) {
        if (!REMOVED.add(socket)) return; // done: a second pass would make the lock file again
        Path lock = io.jurunc.shim.start.StartCommand.lockFile(socket);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                        lock, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock ignored = ch.lock()) {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(logFile(socket));
            deleteTree(HolderDir.forSocket(socket).dir());
            Files.deleteIfExists(lock);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove " + socket + " and its lock: " + e.getMessage());
        }
    }

    /** The sockets whose files this JVM has removed (the hook and the main thread both try). */
    private static final java.util.Set<Path> REMOVED = new java.util.HashSet<>();

    /** Removes {@code dir} and what is in it; entries that vanish meanwhile (the private socket) are no error. */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                    throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    /** The node daemon's log file, next to its socket. */
    public static Path logFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".log");
    }

    public static int run(ShimFlags flags, Map<String, String> env) {
        Path socket = Path.of(flags.socket().orElseThrow());
        GroupingId.Scope scope;
        try {
            scope = GroupingId.Scope.fromEnv(env);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        boolean resident = scope == GroupingId.Scope.NODE;
        Optional<HolderDir> holder = HolderDir.fromEnv(env);
        ShimLog log = resident
                ? ShimLog.file(logFile(socket), flags.debug(), flags.id(), HolderDir.restarted(env))
                : ShimLog.open(Path.of("").toAbsolutePath(), flags.debug(), flags.id());
        // the first container's once-per-JVM costs, on a thread of its own while this one sets up serving
        io.jurunc.shim.start.FirstContainerWarmUp.start(log::warn);
        ShimOs os = new LinuxShimOs();
        try {
            os.becomeSubreaper();
        } catch (OsException e) {
            log.error(e.getMessage());
            return 1;
        }
        String ttrpcAddress = env.getOrDefault("TTRPC_ADDRESS", "");
        EventForwarder forwarder = !ttrpcAddress.isEmpty()
                ? new TtrpcEventForwarder(ttrpcAddress)
                : new BinaryEventForwarder(
                        flags.publishBinary().isEmpty() ? "containerd" : flags.publishBinary(), flags.address(), os);
        OrderedPublisher publisher = new OrderedPublisher(
                flags.namespace(), forwarder, Clock.systemUTC(), Duration.ofMillis(100), log::warn);
        String ns = flags.namespace();
        BackendSelector selector = Backends.standard(ns, env, os, log::warn);
        CountDownLatch exit = new CountDownLatch(1);
        Runnable lastContainerGone = resident ? () -> log.info("node daemon stays resident") : exit::countDown;
        TaskJournal journal =
                holder.<TaskJournal>map(h -> new DiskTaskJournal(h, log::warn)).orElse(TaskJournal.NONE);
        TaskService service = new TaskService(os, selector, publisher, lastContainerGone, log::info, journal);
        if (holder.isPresent()) {
            // before serving: the requests the holder sends again must find the adopted tasks
            int adopted = new Adoption(journal, selector, os, log::info).run(service);
            if (HolderDir.restarted(env)) {
                log.info("restarted after a crash of the daemon JVM: " + adopted + " task(s) adopted");
            }
        }
        // Behind the holder (shim-holder.c), which owns the public socket and containerd's connections, the
        // task API is served on the holder's private socket.
        Path listenOn = holder.map(HolderDir::privateSocket).orElse(socket);
        TtrpcServer.Builder builder = TtrpcServer.builder();
        for (String name : TaskService.SERVICE_NAMES) {
            builder.register(name, service.handlers());
        }
        TtrpcServer server = builder.build();
        try {
            Files.createDirectories(listenOn.getParent());
            if (holder.isPresent()) {
                Files.deleteIfExists(listenOn); // the crashed JVM's
            }
            server.serve(listen(listenOn));
        } catch (IOException e) {
            log.error("cannot listen on " + socket + ": " + e.getMessage());
            publisher.close();
            return 3;
        }
        List<Closeable> services = resident ? startNodeServices(log) : List.of();
        // SIGTERM/SIGINT: the JVM exits after its hooks, so clean up here rather than in the main thread.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exit.countDown();
            stopNodeServices(services, log);
            removeSocketAndLock(socket, log);
        }));
        log.info("serving task API v2/v3 on " + socket + (holder.isPresent() ? " through its holder" : "")
                + " (namespace " + ns + ")");
        try {
            exit.await();
            server.shutdown(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        stopNodeServices(services, log);
        removeSocketAndLock(socket, log);
        log.info("exiting");
        return 0;
    }

    /** The node services on the class path, each started once the task API serves; one that fails is left out. */
    private static List<Closeable> startNodeServices(ShimLog log) {
        List<Closeable> started = new ArrayList<>();
        for (NodeService service : ServiceLoader.load(NodeService.class, ShimDaemon.class.getClassLoader())) {
            try {
                started.add(service.start(log::info));
                log.info("node service " + service.name() + " started");
            } catch (IOException | RuntimeException e) {
                log.warn("node service " + service.name() + " not started: " + e.getMessage());
            }
        }
        return started;
    }

    private static synchronized void stopNodeServices(List<Closeable> services, ShimLog log) {
        for (Closeable c : services) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                log.warn("stopping a node service: " + e.getMessage());
            }
        }
    }
}
