package io.jurunc.vaccel;

import io.jurunc.vaccel.prof.Profiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One vAccel instance: its configuration, loaded plugins, sessions, resources and profiler (what C vAccel
 * keeps in globals). {@link #bootstrap(VaccelConfig)} loads the plugins named in the config, in order;
 * {@link #close()} is vAccel's cleanup: it releases every session and resource, finalises the plugins
 * and prints the {@code [prof]} lines at INFO level when profiling is on.
 */
public final class Vaccel implements AutoCloseable {
    /**
     * What this implementation is: vAccel's API and op numbering as of nubificus/vaccel v0.7.1-93
     * (ebc23b1; the op numbers differ from the v0.7.1 release), implemented by jurunc 0.1.0. Plugins are
     * checked against its major version, like vAccel's {@code X.Y.Z[extra]} check.
     */
    public static final String VERSION = "0.7.1-93+jurunc.0.1.0";
    /** The upstream releases the RPC agent and plugin speak to (see docs/vaccel.md). */
    public static final String UPSTREAM = "nubificus/vaccel v0.7.1-93 (ebc23b1), vaccel-rust v0.5.0+vaccel.0.8.0 (RPC)";

    public static final int SESSIONS_MAX = 1024;
    public static final int RESOURCES_MAX = 2048;

    private final VaccelConfig config;
    private final VaccelLog log;
    private final Profiler profiler;
    private final List<Plugin> plugins;
    private final PluginContext context;
    private final IdPool sessionIds = new IdPool("sessions", SESSIONS_MAX);
    private final IdPool resourceIds = new IdPool("resources", RESOURCES_MAX);
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Resource> resources = new ConcurrentHashMap<>();
    private volatile Path rundir;
    private volatile boolean closed;

    private Vaccel(VaccelConfig config, Iterable<Plugin> candidates) {
        this.config = config;
        this.log = VaccelLog.open(config);
        config.warnings().forEach(log::warn);
        this.profiler = new Profiler("vaccel", config.profilingEnabled());
        this.context = new PluginContext(config, log, profiler, this::rundir);
        try {
            this.plugins = PluginLoader.load(config, candidates, context);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Bootstraps with the plugins found by {@link ServiceLoader} on the class path. */
    public static Vaccel bootstrap(VaccelConfig config) {
        List<Plugin> found = new ArrayList<>();
        ServiceLoader.load(Plugin.class).forEach(found::add);
        return new Vaccel(config, found);
    }

    /** Bootstraps with explicit plugin candidates (still selected and ordered by {@code config.plugins()}). */
    public static Vaccel bootstrap(VaccelConfig config, Iterable<Plugin> candidates) {
        return new Vaccel(config, candidates);
    }

    /** Bootstraps from the process environment ({@code VACCEL_PLUGINS}, {@code VACCEL_LOG_LEVEL}, ...). */
    public static Vaccel fromEnvironment() {
        return bootstrap(VaccelConfig.fromEnvironment(System.getenv()));
    }

    public VaccelConfig config() {
        return config;
    }

    public VaccelLog log() {
        return log;
    }

    public Profiler profiler() {
        return profiler;
    }

    public List<PluginInfo> plugins() {
        return plugins.stream().map(Plugin::info).toList();
    }

    /** Creates a session; its plugin is chosen from {@code flags} (a hint mask of {@link PluginType} bits). */
    public Session createSession(int flags) {
        ensureOpen();
        Plugin plugin = PluginSelector.select(flags, plugins);
        long id = sessionIds.acquire();
        Session s = new Session(this, id, flags, plugin);
        try {
            long remote = plugin.sessionInit(s, flags & ~PluginType.REMOTE);
            if (plugin.info().transport()) {
                if (remote <= 0) {
                    throw new VaccelException(
                            Errno.EBACKEND,
                            "transport plugin " + plugin.info().name() + " returned no remote session id");
                }
                s.remoteId(remote);
            }
        } catch (RuntimeException e) {
            sessionIds.release(id);
            throw e;
        }
        sessions.put(id, s);
        log.debug(() -> "New session " + id + " (flags 0x" + Integer.toHexString(flags) + ") on plugin "
                + plugin.info().name());
        return s;
    }

    public Optional<Session> session(long id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public Resource createResource(ResourceSpec spec) {
        ensureOpen();
        long id = resourceIds.acquire();
        Resource r = new Resource(this, id, spec);
        resources.put(id, r);
        return r;
    }

    public Optional<Resource> resource(long id) {
        return Optional.ofNullable(resources.get(id));
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int resourceCount() {
        return resources.size();
    }

    void forgetSession(Session s) {
        if (sessions.remove(s.id(), s)) {
            sessionIds.release(s.id());
        }
    }

    void releaseResource(Resource r) {
        if (r.isClosed()) {
            return;
        }
        if (r.refcount() > 0) {
            throw new VaccelException(
                    Errno.EBUSY, r + " is still registered with " + r.refcount() + " session(s); unregister it first");
        }
        r.markClosed();
        if (resources.remove(r.id(), r)) {
            resourceIds.release(r.id());
        }
        Path rd = rundir;
        if (rd != null) {
            deleteTree(rd.resolve("resource." + r.id()));
        }
    }

    /**
     * {@code $XDG_RUNTIME_DIR/vaccel/<random>}, else a fresh {@code vaccel-<random>} under
     * {@code java.io.tmpdir}; created on first use, mode 0700, with an exclusive create (never a predictable
     * shared path such as {@code /tmp/vaccel}). An existing {@code $XDG_RUNTIME_DIR/vaccel} must be a real
     * directory owned by this user.
     */
    public Path rundir() {
        Path p = rundir;
        if (p == null) {
            synchronized (this) {
                if (rundir == null) {
                    rundir = createRundir(config.env().get("XDG_RUNTIME_DIR"));
                }
                p = rundir;
            }
        }
        return p;
    }

    private static Path createRundir(String xdg) {
        var owner = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path parent = null;
        try {
            if (xdg == null || xdg.isBlank()) {
                return Files.createTempDirectory("vaccel-", owner);
            }
            parent = Path.of(xdg, "vaccel");
            try {
                Files.createDirectory(parent, owner);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // checked below
            }
            var attrs = Files.readAttributes(
                    parent, java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isDirectory()) {
                throw new VaccelException(
                        Errno.EACCES,
                        "vAccel rundir parent " + parent + " is not a directory (a symlink or file is there)");
            }
            var me = Files.getOwner(Path.of("/proc/self"));
            if (!attrs.owner().equals(me)) {
                throw new VaccelException(
                        Errno.EACCES,
                        "vAccel rundir parent " + parent + " belongs to "
                                + attrs.owner().getName() + ", not " + me.getName());
            }
            return Files.createTempDirectory(parent, "", owner);
        } catch (IOException e) {
            throw new VaccelException(
                    Errno.EIO,
                    "cannot create vAccel rundir under " + (parent == null ? "the temp dir" : parent) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new VaccelException(Errno.ESESS, "this vAccel instance is closed");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Session s : new ArrayList<>(sessions.values())) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.warn("releasing " + s + " failed: " + e.getMessage());
            }
        }
        for (Resource r : new ArrayList<>(resources.values())) {
            releaseResource(r);
        }
        for (Plugin p : plugins.reversed()) {
            PluginLoader.finiQuietly(p, context, null);
        }
        if (profiler.enabled()) {
            profiler.formatLines().forEach(log::info);
        }
        if (rundir != null) {
            deleteTree(rundir);
        }
        log.close();
    }

    private void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove " + root + ": " + e.getMessage());
        }
    }
}
