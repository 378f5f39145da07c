package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link Host} for the harness's unit tests: records every command and answers with a scripted
 * result (exit 0 and empty output unless a responder says otherwise). Nothing is executed.
 */
public final class RecordingHost implements Host {

    private final List<Command> commands = new ArrayList<>();
    private Function<Command, CommandResult> responder = c -> new CommandResult(c, 0, "", "", Duration.ZERO, false);

    public RecordingHost answering(Function<Command, CommandResult> answer) {
        this.responder = answer;
        return this;
    }

    public static CommandResult ok(Command c, String stdout) {
        return new CommandResult(c, 0, stdout, "", Duration.ZERO, false);
    }

    public List<Command> commands() {
        return List.copyOf(commands);
    }

    public List<List<String>> argvs() {
        return commands.stream().map(Command::argv).toList();
    }

    @Override
    public CommandResult run(Command command) {
        commands.add(command);
        return responder.apply(command);
    }

    @Override
    public Spawned start(Command command, Path stdout, Path stderr) {
        commands.add(command);
        return new Spawned() {
            @Override
            public long pid() {
                return 1_000_000;
            }

            @Override
            public boolean isAlive() {
                return false;
            }

            @Override
            public int waitFor(Duration limit) {
                return 0;
            }

            @Override
            public Path stdoutFile() {
                return stdout;
            }

            @Override
            public Path stderrFile() {
                return stderr;
            }

            @Override
            public void stop(Duration grace) {}
        };
    }
}
