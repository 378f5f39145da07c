package io.jurunc.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.FakeBackend;
import io.jurunc.shim.events.RecordingSink;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.RecordingShimOs;
import io.jurunc.shim.proto.events.TaskCreate;
import io.jurunc.shim.proto.events.TaskDelete;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.task.CloseIORequest;
import io.jurunc.shim.proto.task.ConnectRequest;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.DeleteRequest;
import io.jurunc.shim.proto.task.DeleteResponse;
import io.jurunc.shim.proto.task.KillRequest;
import io.jurunc.shim.proto.task.PidsRequest;
import io.jurunc.shim.proto.task.ResizePtyRequest;
import io.jurunc.shim.proto.task.ShutdownRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.UpdateTaskRequest;
import io.jurunc.shim.proto.task.WaitRequest;
import io.jurunc.shim.proto.task.WaitResponse;
import io.jurunc.shim.proto.types.Mount;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskServiceTest {
    @TempDir
    Path tmp;

    private final RecordingShimOs os = new RecordingShimOs();
    private final FakeBackend jurunc = new FakeBackend("jurunc");
    private final FakeBackend runc = new FakeBackend("runc");
    private final RecordingSink events = new RecordingSink();
    private final AtomicBoolean exited = new AtomicBoolean();
    private final List<String> log = new ArrayList<>();
    private TaskService service;

    @BeforeEach
    void setUp() {
        BackendSelector selector = new BackendSelector(
                jurunc, runc, bundle -> bundle.getFileName().toString().startsWith("uni"));
        service = new TaskService(os, selector, events, () -> exited.set(true), log::add);
    }

    private CreateTaskRequest create(String id, String bundleName) throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve(bundleName));
        return CreateTaskRequest.newBuilder()
                .setId(id)
                .setBundle(bundle.toString())
                .setStdout("/fifo/out")
                .build();
    }

    private void awaitTopics(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.topics().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void fullLifecyclePublishesEventsInOrder() throws Exception {
        int pid = service.create(create("vm1", "uni-bundle")).getPid();
        assertThat(pid).isEqualTo(1000);
        assertThat(jurunc.calls).containsExactly("create vm1 stdin=-");
        assertThat(runc.calls).isEmpty();
        assertThat(Files.readString(tmp.resolve("uni-bundle").resolve(BackendSelector.MARKER)))
                .isEqualTo("jurunc");
        assertThat(service.state(StateRequest.newBuilder().setId("vm1").build()).getStatus())
                .isEqualTo(Status.CREATED);

        assertThat(service.start(StartRequest.newBuilder().setId("vm1").build()).getPid())
                .isEqualTo(1000);
        assertThat(service.state(StateRequest.newBuilder().setId("vm1").build()).getStatus())
                .isEqualTo(Status.RUNNING);

        CompletableFuture<WaitResponse> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return service.await(WaitRequest.newBuilder().setId("vm1").build());
            } catch (TtrpcException e) {
                throw new IllegalStateException(e);
            }
        });
        service.kill(KillRequest.newBuilder().setId("vm1").setSignal(15).build());
        assertThat(jurunc.calls).contains("kill vm1 15");
        assertThat(waiting).isNotDone();
        os.exit(1000, 143);
        assertThat(waiting.get(5, TimeUnit.SECONDS).getExitStatus()).isEqualTo(143);

        DeleteResponse deleted =
                service.delete(DeleteRequest.newBuilder().setId("vm1").build());
        assertThat(deleted.getExitStatus()).isEqualTo(143);
        assertThat(deleted.getPid()).isEqualTo(1000);
        assertThat(jurunc.calls).contains("delete vm1");
        assertThat(events.topics())
                .containsExactly(Topics.TASK_CREATE, Topics.TASK_START, Topics.TASK_EXIT, Topics.TASK_DELETE);
        TaskCreate tc = (TaskCreate) events.events.get(0).event();
        assertThat(tc.getPid()).isEqualTo(1000);
        assertThat(tc.getIo().getStdout()).isEqualTo("/fifo/out");
        TaskExit te = (TaskExit) events.events.get(2).event();
        assertThat(te.getContainerId()).isEqualTo("vm1");
        assertThat(te.getExitStatus()).isEqualTo(143);
        assertThat(((TaskDelete) events.events.get(3).event()).getExitStatus()).isEqualTo(143);
        assertThat(service.containerCount()).isZero();
    }

    @Test
    void anExitDuringStartIsPublishedAfterTaskStart() throws Exception {
        service.create(create("c1", "plain"));
        // The process dies while the backend is still starting it.
        runc.onStart = () -> {
            os.exit(1000, 1);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        service.start(StartRequest.newBuilder().setId("c1").build());
        awaitTopics(3);
        assertThat(events.topics()).containsExactly(Topics.TASK_CREATE, Topics.TASK_START, Topics.TASK_EXIT);
        assertThat(runc.calls).containsExactly("create c1 stdin=-", "start c1");
    }

    @Test
    void containersRunInParallelAndShutdownWaitsForTheLast() throws Exception {
        service.create(create("a", "plain-a"));
        service.create(create("b", "plain-b"));
        service.shutdown(ShutdownRequest.getDefaultInstance());
        assertThat(exited).isFalse();
        for (String id : List.of("a", "b")) {
            int pid = service.state(StateRequest.newBuilder().setId(id).build()).getPid();
            os.exit(pid, 0);
            service.await(WaitRequest.newBuilder().setId(id).build());
            service.delete(DeleteRequest.newBuilder().setId(id).build());
        }
        service.shutdown(ShutdownRequest.getDefaultInstance());
        assertThat(exited).isTrue();
    }

    @Test
    void errorsCarryContainerdsCodes() throws Exception {
        service.create(create("c1", "plain"));
        assertThatThrownBy(() -> service.create(create("c1", "plain")))
                .isInstanceOf(TtrpcException.class)
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.ALREADY_EXISTS);
        assertThatThrownBy(() ->
                        service.state(StateRequest.newBuilder().setId("nope").build()))
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.NOT_FOUND);
        assertThatThrownBy(() -> service.state(
                        StateRequest.newBuilder().setId("c1").setExecId("e1").build()))
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.NOT_FOUND);
        service.start(StartRequest.newBuilder().setId("c1").build());
        assertThatThrownBy(() ->
                        service.delete(DeleteRequest.newBuilder().setId("c1").build()))
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.FAILED_PRECONDITION);
        assertThatThrownBy(() ->
                        service.start(StartRequest.newBuilder().setId("c1").build()))
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.FAILED_PRECONDITION);
        runc.failKill = new BackendException(BackendException.Kind.FAILED, "runc kill failed");
        os.exit(1000, 0);
        service.await(WaitRequest.newBuilder().setId("c1").build());
        assertThatThrownBy(() -> service.kill(
                        KillRequest.newBuilder().setId("c1").setSignal(9).build()))
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.NOT_FOUND);
    }

    @Test
    void deletingACreatedTaskForcesTheBackend() throws Exception {
        service.create(create("c1", "plain"));
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            os.exit(1000, 137);
        });
        assertThat(service.delete(DeleteRequest.newBuilder().setId("c1").build())
                        .getExitStatus())
                .isEqualTo(137);
        assertThat(runc.calls).contains("delete c1 force");
    }

    @Test
    void rootfsIsMountedAndUnmounted() throws Exception {
        CreateTaskRequest req = create("c1", "plain").toBuilder()
                .addRootfs(Mount.newBuilder()
                        .setType("overlay")
                        .setSource("overlay")
                        .addOptions("lowerdir=/l")
                        .build())
                .build();
        service.create(req);
        Path rootfs = tmp.resolve("plain").resolve("rootfs");
        assertThat(os.calls).contains("mount overlay overlay " + rootfs + " lowerdir=/l");
        os.exit(1000, 0);
        service.await(WaitRequest.newBuilder().setId("c1").build());
        service.delete(DeleteRequest.newBuilder().setId("c1").build());
        assertThat(os.calls).contains("unmount " + rootfs);
    }

    @Test
    void pidsConnectUpdateAndCloseIo() throws Exception {
        service.create(create("c1", "plain"));
        assertThat(service.pids(PidsRequest.newBuilder().setId("c1").build()).getProcessesList())
                .extracting(p -> p.getPid())
                .containsExactly(1000, 1005);
        var connect = service.connect(ConnectRequest.newBuilder().setId("c1").build());
        assertThat(connect.getShimPid()).isEqualTo(4242);
        assertThat(connect.getTaskPid()).isEqualTo(1000);
        service.update(UpdateTaskRequest.newBuilder()
                .setId("c1")
                .setResources(Any.newBuilder()
                        .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/LinuxResources")
                        .setValue(ByteString.copyFromUtf8("{\"cpu\":{\"shares\":512}}")))
                .build());
        assertThat(runc.calls).contains("update c1 {\"cpu\":{\"shares\":512}}");
        service.closeIO(CloseIORequest.newBuilder().setId("c1").setStdin(true).build());
    }

    @Test
    void onlyTheImplementedMethodsAreRegistered() {
        assertThat(service.handlers().keySet())
                .containsExactlyInAnyOrder(
                        "Create",
                        "Start",
                        "State",
                        "Kill",
                        "Wait",
                        "Delete",
                        "Pids",
                        "Connect",
                        "Shutdown",
                        "CloseIO",
                        "Update",
                        "Pause",
                        "Resume",
                        "Stats",
                        "Exec",
                        "ResizePty");
        assertThat(TaskService.SERVICE_NAMES).containsExactly("containerd.task.v2.Task", "containerd.task.v3.Task");
    }

    /**
     * {@code ctr run -t}: the backend gets a console socket instead of the FIFOs, the shim takes the pty
     * master from it and relays it to containerd's FIFOs; ResizePty sets its window size; delete closes it.
     * A task without a terminal has nothing to resize.
     */
    @Test
    void aTerminalTaskGetsAConsoleSocketAndResizePtySetsTheWindowSize() throws Exception {
        CreateTaskRequest req = create("t1", "plain").toBuilder()
                .setTerminal(true)
                .setStdin("/fifo/in")
                .build();
        service.create(req);
        assertThat(runc.calls)
                .anySatisfy(call -> assertThat(call)
                        .startsWith("create t1 stdin=- console=")
                        .endsWith("/console.sock"));
        assertThat(os.calls)
                .containsSubsequence("console listen", "console receive", "console relay /fifo/in /fifo/out");
        service.resizePty(ResizePtyRequest.newBuilder()
                .setId("t1")
                .setWidth(120)
                .setHeight(40)
                .build());
        assertThat(os.calls).contains("console resize 120x40");
        // the backend's init is told too (a microVM's guest console), without ResizePty waiting for it
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!runc.calls.contains("resizeConsole t1 40x120") && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(runc.calls).contains("resizeConsole t1 40x120");
        os.exit(1000, 0);
        awaitTopics(2);
        assertThat(os.calls).contains("console drain");
        service.delete(DeleteRequest.newBuilder().setId("t1").build());
        assertThat(os.calls).contains("console close");

        service.create(create("p1", "plain-p"));
        assertThatThrownBy(() -> service.resizePty(ResizePtyRequest.newBuilder()
                        .setId("p1")
                        .setWidth(80)
                        .setHeight(24)
                        .build()))
                .isInstanceOfSatisfying(
                        TtrpcException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION));
    }

    @Test
    void waitReturnsForAnAlreadyExitedTask() throws Exception {
        service.create(create("c1", "plain"));
        os.exit(1000, 2);
        awaitTopics(2);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            try {
                return service.await(WaitRequest.newBuilder().setId("c1").build())
                        .getExitStatus();
            } catch (TtrpcException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(status.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(2);
        assertThat(service.state(StateRequest.newBuilder().setId("c1").build()).getStatus())
                .isEqualTo(Status.STOPPED);
    }
}
