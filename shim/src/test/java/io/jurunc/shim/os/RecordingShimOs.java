package io.jurunc.shim.os;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A {@link ShimOs} that records what it is asked and answers from scripts; exits are released by tests. */
public final class RecordingShimOs implements ShimOs {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final List<CommandSpec> commands = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    private volatile Function<CommandSpec, CommandResult> script = c -> new CommandResult(0, "", "");

    public RecordingShimOs script(Function<CommandSpec, CommandResult> script) {
        this.script = script;
        return this;
    }

    /** Lets {@link #awaitExit} of {@code pid} return. */
    public void exit(int pid, int status) {
        exitFuture(pid).complete(new ExitStatus(status, Instant.parse("2026-01-01T00:00:00Z")));
    }

    private CompletableFuture<ExitStatus> exitFuture(int pid) {
        return exits.computeIfAbsent(pid, p -> new CompletableFuture<>());
    }

    @Override
    public void becomeSubreaper() {
        calls.add("subreaper");
    }

    @Override
    public ExitStatus awaitExit(int pid) throws InterruptedException {
        try {
            return exitFuture(pid).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean signal(int pid, int signal) {
        calls.add("signal " + pid + " " + signal);
        return true;
    }

    @Override
    public CommandResult run(CommandSpec command) {
        commands.add(command);
        calls.add("run " + String.join(" ", command.argv()));
        return script.apply(command);
    }

    @Override
    public int[] pipe() {
        calls.add("pipe");
        return new int[] {100, 101};
    }

    @Override
    public void close(int fd) {
        calls.add("close " + fd);
    }

    @Override
    public void mount(MountSpec mount, Path target) {
        calls.add("mount " + mount.type() + " " + mount.source() + " " + target + " " + mount.data());
    }

    @Override
    public void unmount(Path target) {
        calls.add("unmount " + target);
    }

    @Override
    public int pid() {
        return 4242;
    }

    @Override
    public Console console() {
        Path socket = Path.of("/run/fake-tty/console.sock");
        calls.add("console listen");
        return new Console() {
            @Override
            public Path socket() {
                return socket;
            }

            @Override
            public void receiveMaster(java.time.Duration timeout) {
                calls.add("console receive");
            }

            @Override
            public void relay(
                    java.util.Optional<Path> stdin,
                    java.util.Optional<Path> stdout,
                    java.util.function.Consumer<String> log) {
                calls.add("console relay " + stdin.map(Object::toString).orElse("-") + " "
                        + stdout.map(Object::toString).orElse("-"));
            }

            @Override
            public void resize(int width, int height) {
                calls.add("console resize " + width + "x" + height);
            }

            @Override
            public void drain(java.time.Duration timeout) {
                calls.add("console drain");
            }

            @Override
            public void close() {
                calls.add("console close");
            }
        };
    }
}
