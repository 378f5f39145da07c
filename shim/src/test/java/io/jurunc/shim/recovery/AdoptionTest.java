package io.jurunc.shim.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.FakeBackend;
import io.jurunc.shim.events.RecordingSink;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.RecordingShimOs;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.DeleteRequest;
import io.jurunc.shim.proto.task.KillRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.WaitRequest;
import io.jurunc.shim.proto.task.WaitResponse;
import io.jurunc.shim.proto.types.Mount;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.shim.task.TaskService;
import io.jurunc.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon JVM journals its tasks; the next one (after a crash) adopts them from the journal, the holder's
 * exit records and a fake {@code /proc}: replayed requests find the tasks, exits are reported once, a task
 * caught in Create is undone.
 */
class AdoptionTest {
    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();
    private HolderDir dir;
    private Path proc;

    /** One daemon JVM's view: its backends, OS and events, on the shared holder directory. */
    private final class Daemon {
        final RecordingShimOs os = new RecordingShimOs();
        final FakeBackend jurunc = new FakeBackend("jurunc");
        final FakeBackend runc = new FakeBackend("runc");
        final RecordingSink events = new RecordingSink();
        final BackendSelector selector = new BackendSelector(
                jurunc, runc, bundle -> bundle.getFileName().toString().startsWith("uni"));
        final DiskTaskJournal journal = new DiskTaskJournal(dir, proc, log::add);
        final TaskService service = new TaskService(os, selector, events, () -> {}, log::add, journal);

        int adopt() {
            return new Adoption(journal, selector, os, log::add).run(service);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = new HolderDir(Files.createDirectories(tmp.resolve("sock.d")));
        Files.createDirectories(dir.exits());
        proc = Files.createDirectories(tmp.resolve("proc"));
    }

    private void live(int pid, long startTime) throws Exception {
        Files.createDirectories(proc.resolve(Integer.toString(pid)));
        // comm may hold spaces and parentheses; fields after it: state, then starttime is the 20th
        StringBuilder stat = new StringBuilder(pid + " (qemu (x) y) S");
        for (int f = 4; f <= 21; f++) {
            stat.append(" 0");
        }
        stat.append(' ').append(startTime).append(" 0 0\n");
        Files.writeString(proc.resolve(Integer.toString(pid)).resolve("stat"), stat.toString());
    }

    private void gone(int pid) throws Exception {
        Files.delete(proc.resolve(Integer.toString(pid)).resolve("stat"));
        Files.delete(proc.resolve(Integer.toString(pid)));
    }

    /** What the holder writes when it reaps a re-parented process. */
    private void holderRecords(int pid, int status) throws Exception {
        Files.writeString(dir.exits().resolve(Integer.toString(pid)), status + " 1767225600000000000\n");
    }

    private CreateTaskRequest create(String id, String bundleName, boolean mounts) throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve(bundleName));
        CreateTaskRequest.Builder b = CreateTaskRequest.newBuilder()
                .setId(id)
                .setBundle(bundle.toString())
                .setStdout("/fifo/" + id);
        if (mounts) {
            b.addRootfs(Mount.newBuilder().setType("bind").setSource("/src").addOptions("rbind"));
        }
        return b.build();
    }

    private static CompletableFuture<WaitResponse> waitFor(TaskService service, String id) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return service.await(WaitRequest.newBuilder().setId(id).build());
            } catch (TtrpcException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void runningAndCreatedTasksAreAdoptedAndStillManaged() throws Exception {
        live(1000, 777);
        live(1001, 778);
        Daemon first = new Daemon();
        first.service.create(create("vm1", "uni-1", false));
        first.service.start(StartRequest.newBuilder().setId("vm1").build());
        first.service.create(create("c2", "plain-2", false));

        Daemon next = new Daemon(); // the first JVM was killed: nothing of it but the disk
        assertThat(next.adopt()).isEqualTo(2);
        var vm1 = next.service.state(StateRequest.newBuilder().setId("vm1").build());
        assertThat(vm1.getStatus()).isEqualTo(Status.RUNNING);
        assertThat(vm1.getPid()).isEqualTo(1000);
        assertThat(vm1.getStdout()).isEqualTo("/fifo/vm1");
        assertThat(next.service
                        .state(StateRequest.newBuilder().setId("c2").build())
                        .getStatus())
                .isEqualTo(Status.CREATED);

        // the holder sends the Start again whose answer the crash swallowed: answered, not started twice
        assertThat(next.service
                        .start(StartRequest.newBuilder().setId("vm1").build())
                        .getPid())
                .isEqualTo(1000);
        assertThat(next.jurunc.calls).isEmpty();
        // the created one can still be started, by the backend recorded in its bundle
        next.service.start(StartRequest.newBuilder().setId("c2").build());
        assertThat(next.runc.calls).containsExactly("start c2");

        CompletableFuture<WaitResponse> waiting = waitFor(next.service, "vm1");
        next.service.kill(KillRequest.newBuilder().setId("vm1").setSignal(9).build());
        assertThat(next.jurunc.calls).containsExactly("kill vm1 9");
        assertThat(waiting).isNotDone();
        holderRecords(1000, 137);
        gone(1000);
        assertThat(waiting.get(10, TimeUnit.SECONDS).getExitStatus()).isEqualTo(137);
        assertThat(next.service
                        .delete(DeleteRequest.newBuilder().setId("vm1").build())
                        .getExitStatus())
                .isEqualTo(137);
        assertThat(next.jurunc.calls).contains("delete vm1");
        assertThat(next.events.topics()).contains(Topics.TASK_EXIT, Topics.TASK_DELETE);
        assertThat(dir.exits().resolve("1000")).as("exit record consumed").doesNotExist();
        assertThat(dir.tasks().resolve("vm1")).as("journal removed").doesNotExist();
        assertThat(dir.tasks().resolve("c2")).exists();
    }

    @Test
    void anExitWhileNoDaemonRanIsPublishedAfterAdoption() throws Exception {
        live(1000, 5);
        Daemon first = new Daemon();
        first.service.create(create("vm1", "uni-1", false));
        first.service.start(StartRequest.newBuilder().setId("vm1").build());
        // the JVM dies; the monitor exits meanwhile and the holder reaps it
        holderRecords(1000, 3);
        gone(1000);

        Daemon next = new Daemon();
        next.adopt();
        assertThat(waitFor(next.service, "vm1").get(10, TimeUnit.SECONDS).getExitStatus())
                .isEqualTo(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (next.events.topics().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5); // published right after the exit completes, on the watcher's thread
        }
        assertThat(next.events.topics()).containsExactly(Topics.TASK_EXIT);
        TaskExit exit = (TaskExit) next.events.events.getFirst().event();
        assertThat(exit.getContainerId()).isEqualTo("vm1");
        assertThat(exit.getPid()).isEqualTo(1000);
        assertThat(exit.getExitedAt().getSeconds())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void anExitTheCrashedDaemonHadSeenIsNotPublishedAgain() throws Exception {
        live(1000, 5);
        Daemon first = new Daemon();
        first.service.create(create("vm1", "uni-1", false));
        first.service.start(StartRequest.newBuilder().setId("vm1").build());
        first.os.exit(1000, 0);
        assertThat(waitFor(first.service, "vm1").get(5, TimeUnit.SECONDS).getExitStatus())
                .isZero();

        Daemon next = new Daemon();
        next.adopt();
        var state = next.service.state(StateRequest.newBuilder().setId("vm1").build());
        assertThat(state.getStatus()).isEqualTo(Status.STOPPED);
        assertThat(state.getExitStatus()).isZero();
        assertThat(next.events.topics()).isEmpty();
        next.service.delete(DeleteRequest.newBuilder().setId("vm1").build());
        assertThat(next.events.topics()).containsExactly(Topics.TASK_DELETE);
    }

    @Test
    void aTaskCaughtInCreateIsUndoneAndTheReplayedCreateRefusedOnce() throws Exception {
        CreateTaskRequest req = create("vm3", "uni-3", true);
        Path bundle = Path.of(req.getBundle());
        Files.writeString(bundle.resolve(BackendSelector.MARKER), "jurunc");
        new Daemon().journal.write(TaskRecord.creating("vm3", bundle, true)); // the JVM died inside Create

        Daemon next = new Daemon();
        assertThat(next.adopt()).isZero();
        assertThat(next.jurunc.calls).containsExactly("delete vm3 force");
        assertThat(next.os.calls).containsExactly("unmount " + bundle.resolve("rootfs"));
        assertThat(next.journal.load()).isEmpty();

        assertThatThrownBy(() -> next.service.create(req))
                .isInstanceOfSatisfying(
                        TtrpcException.class,
                        e -> assertThat(e.code()).isEqualTo(io.jurunc.ttrpc.StatusCode.UNAVAILABLE));
        assertThat(next.jurunc.calls).as("nothing created again").containsExactly("delete vm3 force");

        // containerd cleans up and a client creates it again: a fresh create
        live(1000, 9);
        assertThat(next.service.create(req).getPid()).isEqualTo(1000);
        assertThat(next.journal.load()).singleElement().satisfies(r -> {
            assertThat(r.phase()).isEqualTo(TaskRecord.Phase.CREATED);
            assertThat(r.pidStartTime()).isEqualTo(9);
            assertThat(r.rootfsMounted()).isTrue();
        });
    }

    @Test
    void aReusedPidIsNotTakenForTheTaskAndReportsAnUnknownExit() throws Exception {
        live(1000, 100);
        Daemon first = new Daemon();
        first.service.create(create("vm1", "uni-1", false));
        first.service.start(StartRequest.newBuilder().setId("vm1").build());
        live(1000, 200); // the monitor exited unseen, its pid went to another process

        Daemon next = new Daemon();
        next.adopt();
        assertThat(waitFor(next.service, "vm1").get(10, TimeUnit.SECONDS).getExitStatus())
                .isEqualTo(255);
    }
}
