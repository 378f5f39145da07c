package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.Json;
import io.jurunc.oci.Spec;
import io.jurunc.oci.SpecException;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.state.PrivateFiles;
import io.jurunc.runtime.vm.GuestType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code exec} into a running Linux microVM: checks the container (a Linux guest, running, with exec
 * ports; a unikernel is refused: it has no init to start a second process), writes the request into
 * the container's state directory (root only) and returns the argv of the static relay
 * ({@code libexec/jurunc-exec-relay}, runtime/src/main/c/exec-relay.c), which the caller execs (the
 * CLI) or spawns with the process's stdio (the shim). The relay takes a free exec port, relays the
 * stdio, signals and window size, and exits with the command's status; with {@code detach} it
 * returns once the guest has started the command, leaving a process that lives as long as it.
 */
public final class ExecOperation {
    /** The relay's file name, next to the sandbox helper. */
    public static final String RELAY = "jurunc-exec-relay";
    /** runc's text for an exec into a stopped container. */
    public static final String STOPPED = "cannot exec in a stopped state";
    /** runc's text for an exec into a paused container. */
    public static final String PAUSED = "cannot exec in a paused state, use --ignore-paused to override";

    /** How long exec waits for the exec sockets of a VM that has just started. */
    static final Duration SOCKETS_WAIT = Duration.ofSeconds(10);

    private final RuntimeContext ctx;

    public ExecOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * runc's exec flags that concern the relay.
     *
     * @param detach return once the command started (runc's {@code -d})
     * @param pidFile where the relay's pid goes (the process containerd's shims then wait for)
     * @param consoleSocket runc's console socket: the host end of the terminal goes there
     * @param log where the relay appends why the command could not start, one JSON line as runc's
     *     {@code --log --log-format json} (its {@code msg}, and a {@code kind}: {@link #FAILURE_KINDS}):
     *     a detached relay's stderr is the exec's, which its caller may not read
     */
    public record Options(boolean detach, Optional<Path> pidFile, Optional<Path> consoleSocket, Optional<Path> log) {
        public Options {
            pidFile = pidFile == null ? Optional.empty() : pidFile;
            consoleSocket = consoleSocket == null ? Optional.empty() : consoleSocket;
            log = log == null ? Optional.empty() : log;
        }

        /** Without a log of the relay's own. */
        public Options(boolean detach, Optional<Path> pidFile, Optional<Path> consoleSocket) {
            this(detach, pidFile, consoleSocket, Optional.empty());
        }
    }

    /**
     * The {@code kind} values of the relay's log line (exec-relay.c): the guest found no such command
     * (its status 127), could not start it (126: cwd, user, permission), every exec channel is busy,
     * the channel could not be reached or closed early (the VM stopped), or the relay itself failed.
     */
    public static final List<String> FAILURE_KINDS =
            List.of("command-not-found", "command-not-runnable", "busy", "unreachable", "relay");

    /** The relay to run: its argv (argv[0] is its absolute path). */
    public record Relay(List<String> argv) {
        public Relay {
            argv = List.copyOf(argv);
        }
    }

    /** The container's own process (its bundle's config.json): what runc's exec starts from without --process. */
    public Spec.Process containerProcess(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        try {
            Spec.Process p = Json.loadSpec(Path.of(r.bundle())).process();
            if (p == null) throw new InvalidExecException("exec: the bundle of '" + id + "' has no process");
            return p;
        } catch (SpecException e) {
            throw new InvalidExecException("exec: cannot read the bundle of '" + id + "': " + e.getMessage());
        }
    }

    /** runc exec's {@code --process FILE}: an OCI process as JSON. */
    public static Spec.Process processFile(Path file) throws InvalidExecException {
        try {
            Spec.Process p = Json.mapper().readValue(Files.readAllBytes(file), Spec.Process.class);
            if (p == null) throw new InvalidExecException("exec: " + file + " is empty");
            return p;
        } catch (IOException e) {
            throw new InvalidExecException("exec: cannot read the process file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Whether {@code id} can take an exec now: a Linux guest (a unikernel is refused), running, with
     * exec ports. Returns the ports.
     */
    public List<ExecChannel.Port> check(String id) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        GuestType guest = r.plan() == null ? null : r.plan().guest();
        if (guest != null && !guest.runsJuruncInit()) {
            throw new VmUnsupportedException("exec is not supported for " + guest.key() + " guests: a unikernel "
                    + "runs one application and has no init that could start another process ('" + id + "')");
        }
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (status == ContainerStatus.STOPPED) throw new ContainerStateException(STOPPED);
        if (status == ContainerStatus.PAUSED) throw new ContainerStateException(PAUSED);
        if (status != ContainerStatus.RUNNING) {
            throw new ContainerStateException(
                    "cannot exec in container '" + id + "': it is " + status.ociName() + " (start it first)");
        }
        int planned = ExecChannel.planned(r.monitorArgv());
        if (planned == 0) {
            throw new VmUnsupportedException("exec into '" + id + "' is not possible: its VM has no exec channel "
                    + "(exec needs a linux guest on qemu, whose virtio-serial ports jurunc adds at start; "
                    + (r.plan() == null
                            ? ""
                            : "this one runs on " + r.plan().monitor().key() + "; ")
                    + "a container started by an earlier jurunc has none)");
        }
        Path dir = ctx.store().dir(CreateOperation.parseId(id));
        List<ExecChannel.Port> ports = ExecChannel.ports(dir, planned);
        // QEMU makes its chardev sockets as it starts, a moment after start has seen it exec'd
        long deadline = ctx.host().nanoTime() + SOCKETS_WAIT.toNanos();
        while (!ctx.host().exists(ports.getFirst().socket())) {
            if (ctx.host().nanoTime() - deadline > 0) {
                throw new SandboxException(
                        "the exec channel of '" + id + "' (" + ports.getFirst().socket() + ") did not appear within "
                                + SOCKETS_WAIT.toSeconds() + " s of the VM's start");
            }
            try {
                ctx.host().sleep(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("exec into '" + id + "' interrupted", e);
            }
        }
        ports = ports.stream().filter(p -> ctx.host().exists(p.socket())).toList();
        return ports;
    }

    /** Checks the container, writes the request and returns the relay to run. */
    public Relay prepare(String id, ExecRequest request, Options options) throws JuruncException {
        List<ExecChannel.Port> ports = check(id);
        if (options.consoleSocket().isPresent() && !request.tty()) {
            throw new InvalidExecException("exec: --console-socket needs a terminal (-t, or process.terminal)");
        }
        Path dir = ctx.store().dir(CreateOperation.parseId(id));
        Path relay = ctx.config().sandbox().helperPath().resolveSibling(RELAY);
        if (!Files.isExecutable(relay)) {
            throw new SandboxException("the exec relay " + relay + " is missing or not executable; install jurunc "
                    + "with its libexec/ directory (cli/target/dist)");
        }
        Path file = dir.resolve("exec-" + UUID.randomUUID() + ".req");
        try {
            PrivateFiles.writeAtomically(file, request.encode(), PrivateFiles.FILE);
        } catch (IOException e) {
            throw new SandboxException("cannot write the exec request " + file + ": " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>();
        argv.add(relay.toString());
        if (options.detach()) argv.add("--detach");
        options.pidFile()
                .ifPresent(p ->
                        argv.addAll(List.of("--pid-file", p.toAbsolutePath().toString())));
        options.consoleSocket().ifPresent(s -> argv.addAll(List.of("--console-socket", s.toString())));
        options.log()
                .ifPresent(l -> argv.addAll(List.of("--log", l.toAbsolutePath().toString(), "--log-format", "json")));
        if (request.tty()) argv.add("--tty");
        argv.add(file.toString());
        for (ExecChannel.Port p : ports) {
            argv.add(p.socket().toString());
            argv.add(p.lock().toString());
        }
        return new Relay(argv);
    }
}
