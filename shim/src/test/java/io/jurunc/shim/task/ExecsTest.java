package io.jurunc.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.backend.CreateSpec;
import io.jurunc.shim.backend.Created;
import io.jurunc.shim.backend.ExecLaunch;
import io.jurunc.shim.backend.ExecSpec;
import io.jurunc.shim.events.RecordingSink;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.CommandResult;
import io.jurunc.shim.os.CommandSpec;
import io.jurunc.shim.os.RecordingShimOs;
import io.jurunc.shim.proto.events.TaskExecStarted;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.DeleteRequest;
import io.jurunc.shim.proto.task.ExecProcessRequest;
import io.jurunc.shim.proto.task.KillRequest;
import io.jurunc.shim.proto.task.ResizePtyRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.WaitRequest;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecsTest {
    @TempDir
    Path tmp;

    private final RecordingShimOs os = new RecordingShimOs();
    private final RecordingSink events = new RecordingSink();
    private final ExecBackend backend = new ExecBackend();
    private TaskService service;

    /** A backend whose exec launch is a command that writes pid 2000 to the pid file (run by the fake OS). */
    static final class ExecBackend implements ContainerBackend {
        final List<ExecSpec> execs = Collections.synchronizedList(new ArrayList<>());
        volatile boolean supportsExec = true;
        /** Where the launch logs why it failed: the exec's own log (the relay's), a shared one (runc's), or none. */
        volatile Function<ExecSpec, Optional<Path>> log = s -> Optional.of(s.logFile());

        @Override
        public String name() {
            return "jurunc";
        }

        @Override
        public Created create(CreateSpec spec) {
            return new Created(1000, Optional.empty());
        }

        @Override
        public void start(String id) {}

        @Override
        public void kill(String id, int signal, boolean all) {}

        @Override
        public void delete(String id, boolean force) {}

        @Override
        public List<Integer> pids(String id) {
            return List.of(1000);
        }

        @Override
        public void update(String id, byte[] resourcesJson) {}

        @Override
        public ExecLaunch exec(ExecSpec spec) throws BackendException {
            if (!supportsExec) {
                throw new BackendException(
                        BackendException.Kind.UNSUPPORTED, "exec is not supported for unikraft guests");
            }
            execs.add(spec);
            return new ExecLaunch(
                    List.of("relay", "--detach", "--pid-file", spec.pidFile().toString()),
                    spec.pidFile(),
                    log.apply(spec));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        os.script(ExecsTest::launch);
        service = new TaskService(os, new BackendSelector(backend, backend, b -> true), events, () -> {}, m -> {});
        Path bundle = Files.createDirectories(tmp.resolve("uni-bundle"));
        service.create(CreateTaskRequest.newBuilder()
                .setId("vm1")
                .setBundle(bundle.toString())
                .build());
        service.start(StartRequest.newBuilder().setId("vm1").build());
    }

    private static CommandResult launch(CommandSpec c) {
        if (!c.argv().getFirst().equals("relay")) return new CommandResult(0, "", "");
        try {
            Files.writeString(Path.of(c.argv().get(3)), "2000");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CommandResult(0, "", "");
    }

    private static ExecProcessRequest exec(String execId) {
        return ExecProcessRequest.newBuilder()
                .setId("vm1")
                .setExecId(execId)
                .setStdout("/fifo/e-out")
                .setSpec(Any.newBuilder()
                        .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Process")
                        .setValue(ByteString.copyFromUtf8("{\"args\":[\"sh\"]}")))
                .build();
    }

    @Test
    void anExecRunsDetachedIsReapedByPidAndPublishesItsEvents() throws Exception {
        assertThat(service.handlers()).containsKey("Exec");
        execVia(exec("e1"));
        assertThat(events.topics()).endsWith(Topics.TASK_EXEC_ADDED);
        assertThat(service.state(StateRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e1")
                                .build())
                        .getStatus())
                .isEqualTo(Status.CREATED);

        int pid = service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("e1").build())
                .getPid();
        assertThat(pid).isEqualTo(2000);
        assertThat(backend.execs).hasSize(1);
        assertThat(new String(backend.execs.getFirst().processJson())).isEqualTo("{\"args\":[\"sh\"]}");
        CommandSpec ran = os.commands.getLast();
        assertThat(ran.stdout()).contains(Path.of("/fifo/e-out"));
        assertThat(ran.stdin()).contains(Path.of("/dev/null"));
        assertThat(backend.execs.getFirst().pidFile()).doesNotExist(); // read and removed
        TaskExecStarted started = (TaskExecStarted) events.events.getLast().event();
        assertThat(started.getExecId()).isEqualTo("e1");
        assertThat(started.getPid()).isEqualTo(2000);
        assertThat(service.state(StateRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e1")
                                .build())
                        .getStatus())
                .isEqualTo(Status.RUNNING);

        service.kill(KillRequest.newBuilder()
                .setId("vm1")
                .setExecId("e1")
                .setSignal(15)
                .build());
        assertThat(os.calls).contains("signal 2000 15");
        os.exit(2000, 7);
        assertThat(service.await(WaitRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e1")
                                .build())
                        .getExitStatus())
                .isEqualTo(7);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.topics().getLast().equals(Topics.TASK_EXIT) && System.nanoTime() < deadline) Thread.sleep(5);
        TaskExit exit = (TaskExit) events.events.getLast().event();
        assertThat(exit.getContainerId()).isEqualTo("vm1");
        assertThat(exit.getId()).isEqualTo("e1");
        assertThat(exit.getPid()).isEqualTo(2000);
        assertThat(exit.getExitStatus()).isEqualTo(7);
        assertThat(service.delete(DeleteRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e1")
                                .build())
                        .getExitStatus())
                .isEqualTo(7);
        assertThatThrownBy(() -> service.state(
                        StateRequest.newBuilder().setId("vm1").setExecId("e1").build()))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        // the container itself is untouched
        assertThat(service.state(StateRequest.newBuilder().setId("vm1").build()).getStatus())
                .isEqualTo(Status.RUNNING);
    }

    /**
     * {@code ctr task exec -t}: the exec gets a console of its own; the backend gets its socket, the launch
     * gets no FIFOs, the pty master is relayed to the exec's stdin and stdout FIFOs; ResizePty with the
     * exec id resizes this console (a non-terminal exec has none); the exit event waits for the last
     * output; delete closes the console.
     */
    @Test
    void aTerminalExecGetsItsOwnConsoleAndResizePtyByExecIdResizesIt() throws Exception {
        execVia(exec("t1").toBuilder()
                .setTerminal(true)
                .setStdin("/fifo/t-in")
                .setStderr("/fifo/t-err")
                .build());
        assertThatThrownBy(() -> service.resizePty(ResizePtyRequest.newBuilder()
                        .setId("vm1")
                        .setExecId("t1")
                        .setWidth(80)
                        .setHeight(24)
                        .build()))
                .as("not started: no console yet")
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION));
        int before = os.calls.size();
        assertThat(service.start(StartRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("t1")
                                .build())
                        .getPid())
                .isEqualTo(2000);
        ExecSpec spec = backend.execs.getLast();
        assertThat(spec.terminal()).isTrue();
        assertThat(spec.consoleSocket()).contains(Path.of("/run/fake-tty/console.sock"));
        CommandSpec ran = os.commands.getLast();
        assertThat(List.of(ran.stdin(), ran.stdout(), ran.stderr()))
                .as("the pty carries the exec's stdio, not the launch's")
                .containsOnly(Optional.of(Path.of("/dev/null")));
        assertThat(os.calls.subList(before, os.calls.size()))
                .containsSubsequence(
                        "console listen",
                        "run relay --detach --pid-file " + spec.pidFile(),
                        "console receive",
                        "console relay /fifo/t-in /fifo/e-out");

        service.resizePty(ResizePtyRequest.newBuilder()
                .setId("vm1")
                .setExecId("t1")
                .setWidth(132)
                .setHeight(43)
                .build());
        assertThat(os.calls).contains("console resize 132x43");

        execVia(exec("p1"));
        assertThatThrownBy(() -> service.resizePty(ResizePtyRequest.newBuilder()
                        .setId("vm1")
                        .setExecId("p1")
                        .setWidth(80)
                        .setHeight(24)
                        .build()))
                .as("an exec without a terminal has nothing to resize")
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION));

        os.exit(2000, 3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.topics().contains(Topics.TASK_EXIT) && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(events.topics()).contains(Topics.TASK_EXIT);
        assertThat(os.calls).contains("console drain");
        assertThat(os.calls).doesNotContain("console close");
        service.delete(DeleteRequest.newBuilder().setId("vm1").setExecId("t1").build());
        assertThat(os.calls).contains("console close");
    }

    @Test
    void refusesBadIdsDuplicatesAndWhatTheBackendCannotExec() throws Exception {
        assertThatThrownBy(() -> execVia(exec("../x")))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT));
        execVia(exec("e2"));
        assertThatThrownBy(() -> execVia(exec("e2")))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.ALREADY_EXISTS));
        backend.supportsExec = false;
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("e2").build()))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNIMPLEMENTED));
        assertThatThrownBy(() -> service.kill(
                        KillRequest.newBuilder().setId("vm1").setExecId("nope").build()))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
    }

    /**
     * The relay's stderr is the exec's stderr FIFO, which the CRI reads only after Start: why it failed
     * comes from its log line, whose kind gives containerd a status code; the log goes with the exec.
     */
    @Test
    void aFailedLaunchReportsTheReasonItsLauncherLoggedWithItsKindsStatusCode() throws Exception {
        os.script(c -> {
            appendLog(c, "{\"level\":\"info\",\"msg\":\"starting\"}");
            appendLog(
                    c,
                    "{\"level\":\"error\",\"msg\":\"exec failed: exec echo: No such file or directory\","
                            + "\"kind\":\"command-not-found\",\"time\":\"2026-12-02T15:00:00Z\"}");
            return new CommandResult(1, "", "");
        });
        execVia(exec("f1"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("f1").build()))
                .isInstanceOfSatisfying(TtrpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
                    assertThat(e.getMessage())
                            .endsWith(": exec f1 in vm1 failed: exec echo: No such file or directory");
                });
        assertThat(backend.execs.getLast().logFile())
                .as("the exec's log goes with it")
                .doesNotExist();
        // as containerd's runc shim: the exec that never ran has ended, so the CRI's Delete(WithProcessKill),
        // which waits for it, returns at once instead of at its context's deadline
        assertThat(service.await(WaitRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("f1")
                                .build())
                        .getExitStatus())
                .as("the guest's status for a command it cannot find")
                .isEqualTo(127);
        assertThat(service.state(StateRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("f1")
                                .build())
                        .getStatus())
                .isEqualTo(Status.STOPPED);
        assertThatThrownBy(() -> service.kill(KillRequest.newBuilder()
                        .setId("vm1")
                        .setExecId("f1")
                        .setSignal(9)
                        .build()))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        assertThat(service.delete(DeleteRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("f1")
                                .build())
                        .getExitStatus())
                .isEqualTo(127);
        assertThat(events.topics()).as("no process, no exit event").doesNotContain(Topics.TASK_EXIT);

        os.script(c -> {
            appendLog(
                    c,
                    "{\"level\":\"error\",\"msg\":\"exec failed: all 4 exec channels of this VM are busy\","
                            + "\"kind\":\"busy\"}");
            return new CommandResult(1, "", "");
        });
        execVia(exec("f2"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("f2").build()))
                .isInstanceOfSatisfying(TtrpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                    assertThat(e.getMessage()).endsWith("all 4 exec channels of this VM are busy");
                });
    }

    /** runc's log is the bundle's, shared by every call: only what this launch added counts; runc's lines have no kind. */
    @Test
    void aSharedLogCountsOnlyTheLinesOfThisLaunch() throws Exception {
        Path shared = tmp.resolve("uni-bundle").resolve("log.json");
        Files.writeString(shared, "{\"level\":\"error\",\"msg\":\"an earlier create failed\"}\n");
        backend.log = s -> Optional.of(shared);
        os.script(c -> new CommandResult(1, "", ""));
        execVia(exec("r1"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("r1").build()))
                .as("nothing logged by this launch: its exit code, not an earlier error")
                .isInstanceOfSatisfying(TtrpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN);
                    assertThat(e.getMessage()).contains("exit 1").doesNotContain("earlier");
                });
        assertThat(shared).as("a shared log stays").exists();

        os.script(c -> {
            try {
                Files.writeString(
                        shared,
                        "{\"level\":\"error\",\"msg\":\"exec failed: unable to start container process: "
                                + "exec: \\\"nope\\\": executable file not found in $PATH\"}\n",
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandResult(1, "", "");
        });
        execVia(exec("r2"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("r2").build()))
                .isInstanceOfSatisfying(TtrpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNKNOWN);
                    assertThat(e.getMessage())
                            .contains("executable file not found")
                            .doesNotContain("earlier");
                });
    }

    private static void appendLog(CommandSpec launch, String line) {
        // the fake launch's argv is relay --detach --pid-file <bundle>/exec-<id>.pid
        Path pid = Path.of(launch.argv().get(3));
        String name = pid.getFileName().toString();
        Path log = pid.resolveSibling(name.substring(0, name.length() - ".pid".length()) + ".log");
        try {
            Files.writeString(
                    log, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFailedLaunchIsAnErrorWithItsOutput() throws Exception {
        os.script(c -> new CommandResult(1, "", "jurunc: exec: all 4 exec channels of this VM are busy"));
        execVia(exec("e3"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("e3").build()))
                .isInstanceOf(TtrpcException.class)
                .hasMessageContaining("busy");
        assertThat(service.await(WaitRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e3")
                                .build())
                        .getExitStatus())
                .as("the launcher's own status when it logged no reason")
                .isEqualTo(1);
        backend.supportsExec = false;
        execVia(exec("e4"));
        assertThatThrownBy(() -> service.start(
                        StartRequest.newBuilder().setId("vm1").setExecId("e4").build()))
                .isInstanceOf(TtrpcException.class);
        assertThat(service.await(WaitRequest.newBuilder()
                                .setId("vm1")
                                .setExecId("e4")
                                .build())
                        .getExitStatus())
                .as("refused before any launch")
                .isEqualTo(Execs.NEVER_RAN);
    }

    private void execVia(ExecProcessRequest r) throws Exception {
        service.handlers().get("Exec").handle(r.toByteArray(), null);
    }
}
