package io.jurunc.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code ctr} against one containerd address and namespace. Every call has a timeout and captures output. */
public final class Ctr {

    private final Host host;
    private final Path address;
    private final String namespace;
    private final Path workDir;

    /**
     * @param workDir where FIFOs and background-run logs go (the private containerd's directory)
     */
    public Ctr(Host host, Path address, String namespace, Path workDir) {
        this.host = host;
        this.address = address;
        this.namespace = namespace;
        this.workDir = workDir;
    }

    public String namespace() {
        return namespace;
    }

    public Path address() {
        return address;
    }

    public Ctr inNamespace(String other) {
        return new Ctr(host, address, other, workDir);
    }

    /** Any ctr subcommand, e.g. {@code ctr("images", "ls", "-q")}. */
    public CommandResult ctr(Duration timeout, String... args) {
        return host.run(Command.of(argv(List.of(args))).withTimeout(timeout));
    }

    /** A ctr subcommand with a terminal of its own ({@link Terminal}), for {@code -t}. */
    public CommandResult inTerminal(Duration timeout, String... args) {
        return host.run(Command.of(Terminal.wrap(argv(List.of(args)))).withTimeout(timeout));
    }

    /** As {@link #inTerminal(Duration, String...)} on a terminal of {@code columns} x {@code rows}. */
    public CommandResult inTerminal(Duration timeout, int columns, int rows, String... args) {
        return host.run(
                Command.of(Terminal.wrap(argv(List.of(args)), columns, rows)).withTimeout(timeout));
    }

    /** {@code ctr run} in the foreground with a terminal of its own; the spec carries {@code -t}. */
    public CommandResult runInTerminal(RunSpec spec) {
        return host.run(Command.of(Terminal.wrap(runCommand(spec).argv())).withTimeout(spec.timeout()));
    }

    /** As {@link #runInTerminal(RunSpec)} on a terminal of {@code columns} x {@code rows}. */
    public CommandResult runInTerminal(RunSpec spec, int columns, int rows) {
        return host.run(Command.of(Terminal.wrap(runCommand(spec).argv(), columns, rows))
                .withTimeout(spec.timeout()));
    }

    public CommandResult ctr(String... args) {
        return ctr(Duration.ofSeconds(30), args);
    }

    public CommandResult version() {
        return ctr(Duration.ofSeconds(5), "version");
    }

    /** {@code ctr images import [--base-name NAME] ARCHIVE}; {@code baseName} may be null. */
    public CommandResult importImage(Path archive, String baseName) {
        List<String> a = new ArrayList<>(List.of("images", "import"));
        if (baseName != null) {
            a.add("--base-name");
            a.add(baseName);
        }
        a.add(archive.toString());
        return host.run(Command.of(argv(a)).withTimeout(Duration.ofMinutes(2)));
    }

    public List<String> images() {
        return lines(ctr("images", "ls", "-q").requireSuccess().stdout());
    }

    public List<String> containers() {
        return lines(ctr("containers", "ls", "-q").requireSuccess().stdout());
    }

    /** {@code ctr tasks ls} rows as "ID PID STATUS". */
    public List<String> tasks() {
        List<String> rows = lines(ctr("tasks", "ls").requireSuccess().stdout());
        return rows.isEmpty() ? rows : rows.subList(1, rows.size());
    }

    /** The task's pid and status from {@code ctr tasks ls}, if the task exists. */
    public Optional<TaskRow> task(String id) {
        for (String row : tasks()) {
            String[] f = row.split("\\s+");
            if (f.length >= 3 && f[0].equals(id)) {
                return Optional.of(new TaskRow(f[0], Long.parseLong(f[1]), f[2]));
            }
        }
        return Optional.empty();
    }

    /** Polls until the task reports {@code status} (RUNNING, STOPPED, ...) or the limit passes. */
    public Optional<TaskRow> awaitTask(String id, String status, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Optional<TaskRow> row = task(id);
        while (System.nanoTime() < deadline
                && row.map(r -> !r.status().equals(status)).orElse(true)) {
            Waits.sleep(Duration.ofMillis(100));
            row = task(id);
        }
        return row.filter(r -> r.status().equals(status));
    }

    /** One row of {@code ctr tasks ls}. */
    public record TaskRow(String id, long pid, String status) {}

    /** Runs in the foreground until the task exits (or the spec's timeout). */
    public CommandResult run(RunSpec spec) {
        return host.run(runCommand(spec).withTimeout(spec.timeout()));
    }

    /** Starts {@code ctr run} in the background (for services); stop the task with {@link #kill}. */
    public Spawned startRun(RunSpec spec) {
        Path logs = workDir.resolve("runs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new HarnessException("cannot create " + logs, e);
        }
        return host.start(runCommand(spec), logs.resolve(spec.id() + ".out"), logs.resolve(spec.id() + ".err"));
    }

    Command runCommand(RunSpec spec) {
        List<String> a = new ArrayList<>(List.of("run"));
        a.addAll(spec.runArguments(workDir.resolve("fifo")));
        List<String> argv = argv(a);
        if (spec.cni().isPresent()) {
            argv = spec.cni().get().wrapForCtr(argv);
        }
        return Command.of(argv);
    }

    public CommandResult kill(String id, String signal) {
        return ctr("tasks", "kill", "--signal", signal, id);
    }

    public CommandResult deleteTask(String id, boolean force) {
        return force ? ctr("tasks", "delete", "--force", id) : ctr("tasks", "delete", id);
    }

    public CommandResult deleteContainer(String id) {
        return ctr("containers", "delete", id);
    }

    /** Best-effort: SIGKILL the task, delete it and the container. Never throws on ctr errors. */
    public void forceRemove(String id) {
        kill(id, "SIGKILL");
        deleteTask(id, true);
        deleteContainer(id);
    }

    List<String> argv(List<String> args) {
        List<String> a = new ArrayList<>(List.of("ctr", "--address", address.toString(), "--namespace", namespace));
        a.addAll(args);
        return a;
    }

    static List<String> lines(String out) {
        return Arrays.stream(out.split("\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
