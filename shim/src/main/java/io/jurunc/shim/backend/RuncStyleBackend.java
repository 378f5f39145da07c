package io.jurunc.shim.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.oci.Json;
import io.jurunc.runtime.lifecycle.ContainerStats;
import io.jurunc.shim.os.CommandResult;
import io.jurunc.shim.os.CommandSpec;
import io.jurunc.shim.os.OsException;
import io.jurunc.shim.os.ShimOs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives a runc-compatible CLI exactly as containerd's runc shim does (go-runc conventions):
 * {@code <binary> --root <root> --log <bundle>/log.json --log-format json create --bundle <bundle>
 * --pid-file <bundle>/init.pid <id>}, then {@code start}, {@code kill [--all]}, {@code delete [--force]},
 * {@code ps --format json}, {@code update --resources -}. The container's stdio are containerd's FIFOs.
 * Used with {@code runc} for plain containers, and with the jurunc CLI when the in-process runtime is not
 * wanted.
 */
public final class RuncStyleBackend implements ContainerBackend {
    static final Path DEV_NULL = Path.of("/dev/null");

    private final String name;
    private final String binary;
    private final Path root;
    private final ShimOs os;
    private final Map<String, Path> bundles = new ConcurrentHashMap<>();

    public RuncStyleBackend(String name, String binary, Path root, ShimOs os) {
        this.name = name;
        this.binary = binary;
        this.root = root;
        this.os = os;
    }

    @Override
    public String name() {
        return name;
    }

    /** Re-attaches a container created earlier (by {@code shim delete}, which runs in a fresh process). */
    public RuncStyleBackend knowing(String id, Path bundle) {
        bundles.put(id, bundle);
        return this;
    }

    private List<String> global(Path bundle) {
        List<String> argv = new ArrayList<>(List.of(binary, "--root", root.toString()));
        if (bundle != null) {
            argv.addAll(List.of("--log", ContainerBackend.logFile(bundle).toString(), "--log-format", "json"));
        }
        return argv;
    }

    @Override
    public Created create(CreateSpec spec) throws BackendException {
        if (spec.terminal() && spec.consoleSocket().isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED, "a terminal (tty) task needs a console socket from the shim");
        }
        List<String> argv = global(spec.bundle());
        argv.addAll(List.of(
                "create",
                "--bundle",
                spec.bundle().toString(),
                "--pid-file",
                spec.pidFile().toString()));
        spec.consoleSocket().ifPresent(s -> argv.addAll(List.of("--console-socket", s.toString())));
        argv.add(spec.id());
        // The container inherits runc's stdio: a stream containerd does not want goes to /dev/null, never to
        // a pipe of ours (the container would hold it open for ever).
        CommandSpec cmd = new CommandSpec(
                argv,
                spec.stdin().or(() -> Optional.of(DEV_NULL)),
                spec.stdout().or(() -> Optional.of(DEV_NULL)),
                spec.stderr().or(() -> Optional.of(DEV_NULL)),
                new byte[0],
                Optional.of(spec.bundle()));
        bundles.put(spec.id(), spec.bundle());
        CommandResult r = run(cmd, "create", spec.id());
        if (!r.ok()) {
            BackendException failure = failure("create", spec.id(), r);
            bundles.remove(spec.id());
            throw failure;
        }
        try {
            String text = Files.readString(spec.pidFile()).trim();
            return new Created(Integer.parseInt(text), Optional.empty());
        } catch (IOException | NumberFormatException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED,
                    binary + " create " + spec.id() + " left no usable pid file " + spec.pidFile() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * {@code exec --process F --detach --pid-file P [--console-socket S] ID}, as containerd's runc shim runs
     * it; with a terminal the process's {@code terminal} asks runc for a pty, whose master goes to S.
     */
    @Override
    public ExecLaunch exec(ExecSpec spec) throws BackendException {
        if (spec.terminal() && spec.consoleSocket().isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.UNSUPPORTED, "a terminal (tty) exec needs a console socket from the shim");
        }
        try {
            Files.write(spec.processFile(), spec.processJson());
        } catch (IOException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED, "cannot write " + spec.processFile() + ": " + e.getMessage(), e);
        }
        List<String> argv = global(spec.bundle());
        argv.addAll(List.of(
                "exec",
                "--process",
                spec.processFile().toString(),
                "--detach",
                "--pid-file",
                spec.pidFile().toString()));
        spec.consoleSocket().ifPresent(s -> argv.addAll(List.of("--console-socket", s.toString())));
        argv.add(spec.containerId());
        // runc (and the jurunc CLI's relay) append why an exec failed to the bundle's log
        return new ExecLaunch(argv, spec.pidFile(), Optional.of(ContainerBackend.logFile(spec.bundle())));
    }

    @Override
    public void start(String id) throws BackendException {
        simple(id, List.of("start", id), "start");
    }

    @Override
    public void kill(String id, int signal, boolean all) throws BackendException {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (all) {
            args.add("--all");
        }
        args.addAll(List.of(id, Integer.toString(signal)));
        simple(id, args, "kill");
    }

    @Override
    public void delete(String id, boolean force) throws BackendException {
        List<String> args = new ArrayList<>(List.of("delete"));
        if (force) {
            args.add("--force");
        }
        args.add(id);
        try {
            simple(id, args, "delete");
        } finally {
            bundles.remove(id);
        }
    }

    @Override
    public List<Integer> pids(String id) throws BackendException {
        CommandResult r =
                run(CommandSpec.of(concat(global(bundles.get(id)), List.of("ps", "--format", "json", id))), "ps", id);
        if (!r.ok()) {
            throw failure("ps", id, r);
        }
        try {
            JsonNode node = Json.mapper().readTree(r.stdout().isBlank() ? "[]" : r.stdout());
            List<Integer> pids = new ArrayList<>();
            node.forEach(n -> pids.add(n.asInt()));
            return pids;
        } catch (IOException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED,
                    binary + " ps " + id + " printed no JSON list: "
                            + r.stdout().strip(),
                    e);
        }
    }

    @Override
    public void update(String id, byte[] resourcesJson) throws BackendException {
        CommandSpec cmd = CommandSpec.of(concat(global(bundles.get(id)), List.of("update", "--resources", "-", id)))
                .withInput(resourcesJson);
        CommandResult r = run(cmd, "update", id);
        if (!r.ok()) {
            throw failure("update", id, r);
        }
    }

    @Override
    public void pause(String id) throws BackendException {
        simple(id, List.of("pause", id), "pause");
    }

    @Override
    public void resume(String id) throws BackendException {
        simple(id, List.of("resume", id), "resume");
    }

    /** {@code events --stats ID}: one runc event, {@code {"type":"stats","id":…,"data":{…}}}. */
    @Override
    public ContainerStats stats(String id) throws BackendException {
        CommandResult r =
                run(CommandSpec.of(concat(global(bundles.get(id)), List.of("events", "--stats", id))), "events", id);
        if (!r.ok()) {
            throw failure("events", id, r);
        }
        try {
            JsonNode event = Json.mapper()
                    .readTree(r.stdout().strip().lines().findFirst().orElse("{}"));
            if (!"stats".equals(event.path("type").asText()) || !event.has("data")) {
                throw new IOException("not a stats event");
            }
            return Json.mapper().treeToValue(event.get("data"), ContainerStats.class);
        } catch (IOException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED,
                    binary + " events --stats " + id + " printed no stats event: "
                            + r.stdout().strip(),
                    e);
        }
    }

    private void simple(String id, List<String> args, String op) throws BackendException {
        CommandResult r = run(CommandSpec.of(concat(global(bundles.get(id)), args)), op, id);
        if (!r.ok()) {
            throw failure(op, id, r);
        }
    }

    private CommandResult run(CommandSpec cmd, String op, String id) throws BackendException {
        try {
            return os.run(cmd);
        } catch (OsException e) {
            throw new BackendException(
                    BackendException.Kind.FAILED, binary + " " + op + " " + id + ": " + e.getMessage(), e);
        }
    }

    private BackendException failure(String op, String id, CommandResult r) {
        String detail = lastLogError(bundles.get(id)).orElse((r.stderr() + " " + r.stdout()).strip());
        String msg = binary + " " + op + " " + id + " failed (exit " + r.exitCode() + ")"
                + (detail.isEmpty() ? "" : ": " + detail);
        String lower = detail.toLowerCase(java.util.Locale.ROOT);
        BackendException.Kind kind = lower.contains("does not exist") || lower.contains("not found")
                ? BackendException.Kind.NOT_FOUND
                : lower.contains("not running") || lower.contains("cannot")
                        ? BackendException.Kind.FAILED_PRECONDITION
                        : BackendException.Kind.FAILED;
        return new BackendException(kind, msg);
    }

    /** The last error-level {@code msg} of runc's JSON log, as containerd's runc shim reports it. */
    static Optional<String> lastLogError(Path bundle) {
        if (bundle == null) {
            return Optional.empty();
        }
        Path log = ContainerBackend.logFile(bundle);
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                try {
                    JsonNode n = Json.mapper().readTree(lines.get(i));
                    if (n != null && n.path("level").asText().matches("error|fatal") && n.has("msg")) {
                        return Optional.of(n.get("msg").asText());
                    }
                } catch (IOException ignored) {
                    // not a JSON line
                }
            }
        } catch (IOException ignored) {
            // no log
        }
        return Optional.empty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
