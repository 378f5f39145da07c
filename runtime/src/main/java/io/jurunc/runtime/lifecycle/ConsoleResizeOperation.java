package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.host.HookExit;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.vm.GuestType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tells a Linux microVM's init the window size of the container's terminal (docs/runtime.md, "TTY"): the
 * host pty that relays the guest's serial console is resized by its owner (the shim), but the guest's
 * console keeps its own size unless the init sets it. The exec relay's {@code --console-size ROWS COLS}
 * takes a free exec port ({@link ExecChannel}) and sends a C frame (guest/src/main/c/exec-proto.h); the
 * init sets the console's size ({@code TIOCSWINSZ}), so the application's foreground process group gets
 * SIGWINCH, and answers at once.
 *
 * <p>A unikernel has no init to tell, and a VM without exec ports (another monitor, or an earlier jurunc)
 * no channel: both are {@link Outcome}s, not errors, as is a VM whose every port runs an exec.
 */
public final class ConsoleResizeOperation {
    /** How long the relay may take: it waits up to 30 s for the guest's answer (a VM still booting). */
    static final Duration RELAY_TIMEOUT = Duration.ofSeconds(40);

    /** The relay's exit status when every exec port is busy (exec-relay.c). */
    static final int BUSY_STATUS = 3;

    private final RuntimeContext ctx;

    public ConsoleResizeOperation(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /** A terminal's window size, as TIOCSWINSZ takes it: rows and columns in [1, 65535]. */
    public record ConsoleSize(int rows, int cols) {
        public ConsoleSize {
            if (rows < 1 || rows > 0xFFFF || cols < 1 || cols > 0xFFFF) {
                throw new IllegalArgumentException(
                        "a console size needs rows and columns in [1, 65535], not " + rows + "x" + cols);
            }
        }
    }

    /** What became of the size. */
    public enum Outcome {
        /** The guest's console has it. */
        RESIZED,
        /** A unikernel: it has no init to tell (its console keeps its size). */
        NO_INIT,
        /** The VM has no exec port to reach its init through. */
        NO_CHANNEL,
        /** Every exec port runs an exec: the guest's console keeps its size. */
        BUSY
    }

    /**
     * Sends {@code size} to the init of {@code id}'s VM.
     *
     * @throws ContainerStateException when the container is not running (a paused VM could not answer)
     * @throws SandboxException when the relay is missing, or it or the guest failed
     */
    public Outcome run(String id, ConsoleSize size) throws JuruncException {
        ContainerRecord r = Containers.load(ctx, id);
        GuestType guest = r.plan() == null ? null : r.plan().guest();
        if (guest != null && !guest.runsJuruncInit()) return Outcome.NO_INIT;
        ContainerStatus status = StatusResolver.resolve(r, ctx.host());
        if (status != ContainerStatus.RUNNING) {
            throw new ContainerStateException("cannot set the console size of '" + id + "': it is " + status.ociName());
        }
        Path dir = ctx.store().dir(CreateOperation.parseId(id));
        List<ExecChannel.Port> planned = ExecChannel.ports(dir, ExecChannel.planned(r.monitorArgv()));
        if (planned.isEmpty()) return Outcome.NO_CHANNEL;
        // the first size comes right after start (ctr and the CRI send it then): QEMU makes its sockets a
        // moment after it was exec'd
        long deadline = ctx.host().nanoTime() + ExecOperation.SOCKETS_WAIT.toNanos();
        while (!ctx.host().exists(planned.getFirst().socket())) {
            if (ctx.host().nanoTime() - deadline > 0) return Outcome.NO_CHANNEL;
            try {
                ctx.host().sleep(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("setting the console size of '" + id + "' was interrupted", e);
            }
        }
        List<ExecChannel.Port> ports =
                planned.stream().filter(p -> ctx.host().exists(p.socket())).toList();
        Path relay = ctx.config().sandbox().helperPath().resolveSibling(ExecOperation.RELAY);
        if (!ctx.host().isExecutable(relay)) {
            throw new SandboxException("the exec relay " + relay + " is missing or not executable; install jurunc "
                    + "with its libexec/ directory (cli/target/dist)");
        }
        HookExit exit =
                ctx.host().runHook(relay, argv(relay, size, ports), List.of(), new byte[0], Optional.of(RELAY_TIMEOUT));
        if (exit.succeeded()) return Outcome.RESIZED;
        if (!exit.timedOut() && exit.status() == BUSY_STATUS) return Outcome.BUSY;
        throw new SandboxException("cannot set the console size of '" + id + "': "
                + (exit.timedOut() ? "the relay did not end within " + RELAY_TIMEOUT.toSeconds() + " s" : "")
                + exit.output().strip());
    }

    /** The relay's argv (argv[0] its path): {@code --console-size ROWS COLS} and each port's socket and lock. */
    static List<String> argv(Path relay, ConsoleSize size, List<ExecChannel.Port> ports) {
        List<String> argv = new ArrayList<>(List.of(
                relay.toString(), "--console-size", Integer.toString(size.rows()), Integer.toString(size.cols())));
        for (ExecChannel.Port p : ports) {
            argv.add(p.socket().toString());
            argv.add(p.lock().toString());
        }
        return List.copyOf(argv);
    }
}
