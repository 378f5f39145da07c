package io.jurunc.wasm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jurunc.oci.Json;
import io.jurunc.oci.State;
import io.jurunc.wasm.ModuleBytes;
import io.jurunc.wasm.WasmConfig;
import io.jurunc.wasm.WasmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The CLI's WASM containers, one process each (runc's model, so containerd's runc shim, Docker and Podman
 * work): {@code create} leaves a {@link WasmContainerMain} process holding the prepared module, {@code start}
 * releases it through a FIFO, {@code kill} signals it, {@code delete} removes it. State lives in
 * {@code <root>/<id>/}{@value WasmState#FILE}, beside the other containers of the same root.
 */
public final class WasmContainers {
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}$");
    private static final long READY_TIMEOUT_NANOS = 120_000_000_000L;
    private static final long START_TIMEOUT_NANOS = 5_000_000_000L;
    private final Path root;
    private final Consumer<String> log;

    public WasmContainers(Path root, Consumer<String> log) {
        this.root = root.toAbsolutePath().normalize();
        this.log = log;
    }

    /** True when {@code id} names a WASM container of this root. */
    public boolean owns(String id) {
        return id != null
                && ID.matcher(id).matches()
                && Files.isRegularFile(root.resolve(id).resolve(WasmState.FILE), LinkOption.NOFOLLOW_LINKS);
    }

    private Path dir(String id) throws WasmException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new WasmException("invalid container id '" + id + "': use letters, digits, '_', '.', '+' and '-'");
        }
        return root.resolve(id);
    }

    /** Creates a container without a terminal; returns the pid of the process that will run the module. */
    public long create(String id, Path bundle, Optional<Path> pidFile, List<String> javaCommand) throws WasmException {
        return create(id, bundle, pidFile, Optional.empty(), javaCommand);
    }

    /**
     * Creates the container; returns the pid of the process that will run the module.
     *
     * @param terminal the pty slave the caller sent the master of to the console socket (runc's protocol), for a
     *     spec with {@code process.terminal}: it becomes the process's stdio and controlling terminal
     */
    public long create(
            String id, Path bundle, Optional<Path> pidFile, Optional<Path> terminal, List<String> javaCommand)
            throws WasmException {
        Path dir = dir(id);
        WasmConfig cfg = WasmConfig.load(id, bundle);
        if (cfg.terminal() && terminal.isEmpty()) {
            throw new WasmException("process.terminal is true but no --console-socket was given");
        }
        ModuleBytes.read(cfg.rootfs(), cfg.modulePath()); // a clear error before any process exists
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new WasmStateException(WasmStateException.Kind.EXISTS, "container '" + id + "' already exists");
        } catch (IOException e) {
            throw new WasmException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
        }
        Process p = null;
        try {
            WasmOs.mkfifo(dir.resolve(WasmContainerMain.FIFO));
            List<String> cmd = new ArrayList<>();
            cmd.add("setsid");
            if (terminal.isPresent()) {
                cmd.add("--ctty"); // the pty on stdin becomes the controlling terminal
            }
            cmd.addAll(javaCommand);
            cmd.add(WasmContainerMain.class.getName());
            cmd.add(dir.toString());
            cmd.add(id);
            cmd.add(cfg.bundle().toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            if (terminal.isPresent()) {
                java.io.File tty = terminal.get().toFile();
                pb.redirectInput(tty)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(tty))
                        .redirectError(ProcessBuilder.Redirect.appendTo(tty));
            }
            p = pb.start();
            awaitReady(dir, p);
            long pid = p.pid();
            long startTime = WasmOs.liveStartTime(pid)
                    .orElseThrow(
                            () -> new WasmException("the process of WASM container '" + id + "' exited during create"));
            save(new WasmState(
                    "1.0.2",
                    id,
                    cfg.bundle().toString(),
                    pid,
                    startTime,
                    "created",
                    Instant.now().toString(),
                    Json.loadSpec(cfg.bundle()).annotations()));
            if (pidFile.isPresent()) {
                writeAtomically(pidFile.get().toAbsolutePath(), Long.toString(pid));
            }
            return pid;
        } catch (WasmException | IOException | io.jurunc.oci.SpecException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            removeDir(dir);
            if (e instanceof WasmException we) {
                throw we;
            }
            throw new WasmException("create of WASM container '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    private static void awaitReady(Path dir, Process p) throws WasmException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (true) {
            if (Files.exists(dir.resolve(WasmContainerMain.READY))) {
                return;
            }
            Path error = dir.resolve(WasmContainerMain.ERROR);
            if (Files.exists(error)) {
                throw new WasmException(Files.readString(error, StandardCharsets.UTF_8));
            }
            if (!p.isAlive()) {
                throw new WasmException(
                        "the process of the WASM container exited during create (status " + p.exitValue() + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new WasmException("the module was not ready within 120 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WasmException("create interrupted");
            }
        }
    }

    public void start(String id) throws WasmException {
        WasmState s = load(id);
        if (!alive(s)) {
            throw new WasmStateException(
                    WasmStateException.Kind.NOT_RUNNING,
                    "cannot start container '" + id
                            + "': it is stopped (its process exited; delete it and create it again)");
        }
        if (!s.status().equals("created")) {
            throw new WasmStateException(
                    WasmStateException.Kind.NOT_CREATED, "cannot start container '" + id + "': it is " + s.status());
        }
        Path fifo = dir(id).resolve(WasmContainerMain.FIFO);
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        try {
            while (!WasmOs.poke(fifo)) {
                if (!alive(s)) {
                    throw new WasmStateException(
                            WasmStateException.Kind.NOT_RUNNING,
                            "cannot start container '" + id + "': its process is gone");
                }
                if (System.nanoTime() > deadline) {
                    throw new WasmException("cannot start container '" + id + "': its process did not open " + fifo);
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new WasmException("cannot start container '" + id + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WasmException("start interrupted");
        }
        save(s.withStatus("running"));
    }

    public State state(String id) throws WasmException {
        WasmState s = load(id);
        boolean alive = alive(s);
        return new State(
                s.ociVersion(),
                s.id(),
                alive ? s.status() : "stopped",
                alive ? (int) s.pid() : 0,
                s.bundle(),
                s.annotations());
    }

    /** The states of every WASM container of this root, by id. */
    public List<State> all() {
        List<State> states = new ArrayList<>();
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                String id = d.getFileName().toString();
                if (owns(id)) {
                    try {
                        states.add(state(id));
                    } catch (WasmException e) {
                        log.accept("skipping " + id + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            // no root yet: no containers
        }
        return states;
    }

    public String stateJson(String id) throws WasmException {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(state(id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void kill(String id, int signal) throws WasmException {
        if (signal < 0 || signal > 64) {
            throw new WasmException("invalid signal " + signal);
        }
        WasmState s = load(id);
        try {
            if (!alive(s) || !WasmOs.kill(s.pid(), signal)) {
                throw new WasmStateException(
                        WasmStateException.Kind.NOT_RUNNING, "container '" + id + "' is not running");
            }
        } catch (IOException e) {
            throw new WasmException(e.getMessage(), e);
        }
    }

    /** A running container needs {@code force}; a created one is killed, as runc does. */
    public void delete(String id, boolean force) throws WasmException {
        WasmState s = load(id);
        if (alive(s)) {
            if (s.status().equals("running") && !force) {
                throw new WasmStateException(
                        WasmStateException.Kind.RUNNING,
                        "cannot delete container '" + id + "' that is running: stop it first or use --force");
            }
            try {
                WasmOs.kill(s.pid(), 9);
            } catch (IOException e) {
                throw new WasmException(e.getMessage(), e);
            }
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (alive(s) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (alive(s)) {
                log.accept("the process " + s.pid() + " of container '" + id + "' did not exit after SIGKILL");
            }
        }
        removeDir(dir(id));
    }

    public List<Long> pids(String id) throws WasmException {
        WasmState s = load(id);
        return alive(s) ? List.of(s.pid()) : List.of();
    }

    private static boolean alive(WasmState s) {
        return WasmOs.liveStartTime(s.pid()).map(t -> t == s.pidStartTime()).orElse(false);
    }

    private WasmState load(String id) throws WasmException {
        Path file = dir(id).resolve(WasmState.FILE);
        try {
            return Json.mapper().readValue(Files.readAllBytes(file), WasmState.class);
        } catch (NoSuchFileException e) {
            throw new WasmStateException(WasmStateException.Kind.NOT_FOUND, "container '" + id + "' does not exist");
        } catch (IOException e) {
            throw new WasmException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void save(WasmState s) throws WasmException {
        try {
            writeAtomically(
                    root.resolve(s.id()).resolve(WasmState.FILE), Json.mapper().writeValueAsString(s));
        } catch (IOException e) {
            throw new WasmException("cannot save the state of '" + s.id() + "': " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void removeDir(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (DirectoryNotEmptyException e) {
            log.accept("cannot remove " + dir + ": not empty");
        } catch (IOException e) {
            log.accept("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The command that starts a JVM like this one, with this one's class path (for the container process), and
     * the launcher's AOT cache when it has one: the class path is the same, so the cache is valid for it.
     */
    public static List<String> thisJava() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd =
                new ArrayList<>(List.of(java, "-Xrs", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        for (String a : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            if (a.startsWith("-XX:AOTCache=") || a.equals("-Xlog:aot=off") || a.equals("-Xlog:cds=off")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }
}
