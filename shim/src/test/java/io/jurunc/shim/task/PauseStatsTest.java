package io.jurunc.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.lifecycle.ContainerStats;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.FakeBackend;
import io.jurunc.shim.events.RecordingSink;
import io.jurunc.shim.events.Topics;
import io.jurunc.shim.os.RecordingShimOs;
import io.jurunc.shim.proto.cgroups.v2.Metrics;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.PauseRequest;
import io.jurunc.shim.proto.task.ResumeRequest;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.StatsRequest;
import io.jurunc.shim.proto.types.Status;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task API's Pause, Resume and Stats over the backends. */
class PauseStatsTest {
    @TempDir
    Path tmp;

    private final FakeBackend jurunc = new FakeBackend("jurunc");
    private final FakeBackend runc = new FakeBackend("runc");
    private final RecordingSink events = new RecordingSink();
    private TaskService service;

    @BeforeEach
    void setUp() throws Exception {
        BackendSelector selector = new BackendSelector(
                jurunc, runc, bundle -> bundle.getFileName().toString().startsWith("uni"));
        service = new TaskService(new RecordingShimOs(), selector, events, () -> {}, m -> {});
        Path bundle = Files.createDirectories(tmp.resolve("uni-1"));
        service.create(CreateTaskRequest.newBuilder()
                .setId("vm1")
                .setBundle(bundle.toString())
                .build());
    }

    private Status status() throws TtrpcException {
        return service.state(StateRequest.newBuilder().setId("vm1").build()).getStatus();
    }

    private void awaitTopics(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (events.topics().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void pauseAndResumeChangeTheStatusAndPublishTheirEvents() throws Exception {
        PauseRequest pause = PauseRequest.newBuilder().setId("vm1").build();
        ResumeRequest resume = ResumeRequest.newBuilder().setId("vm1").build();
        assertThatThrownBy(() -> service.pause(pause))
                .isInstanceOf(TtrpcException.class)
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.FAILED_PRECONDITION);
        service.start(StartRequest.newBuilder().setId("vm1").build());
        service.pause(pause);
        assertThat(status()).isEqualTo(Status.PAUSED);
        assertThatThrownBy(() -> service.pause(pause)).isInstanceOf(TtrpcException.class);
        service.resume(resume);
        assertThat(status()).isEqualTo(Status.RUNNING);
        assertThatThrownBy(() -> service.resume(resume))
                .isInstanceOf(TtrpcException.class)
                .hasMessageContaining("not paused");
        assertThat(jurunc.calls).containsSubsequence("start vm1", "pause vm1", "resume vm1");
        awaitTopics(4);
        assertThat(events.topics())
                .containsExactly(Topics.TASK_CREATE, Topics.TASK_START, Topics.TASK_PAUSED, Topics.TASK_RESUMED);
    }

    @Test
    void statsArePackedAsContainerdsCgroupsV2Metrics() throws Exception {
        jurunc.stats = new ContainerStats(
                new ContainerStats.Cpu(
                        new ContainerStats.CpuUsage(3_000_000, List.of(), 1_000_000, 2_000_000),
                        new ContainerStats.Throttling(5, 1, 7000)),
                new ContainerStats.Memory(
                        4096,
                        new ContainerStats.MemoryEntry(536870912, 300_000_000, 0, 2),
                        new ContainerStats.MemoryEntry(0, 0, 0, 0),
                        Map.of("rss", 1000L, "cache", 4096L)),
                new ContainerStats.Pids(3, 0),
                new ContainerStats.Blkio(
                        List.of(
                                new ContainerStats.BlkioEntry(8, 0, "Read", 4096),
                                new ContainerStats.BlkioEntry(8, 0, "Write", 512)),
                        List.of(new ContainerStats.BlkioEntry(8, 0, "Read", 2))));
        var any = service.stats(StatsRequest.newBuilder().setId("vm1").build()).getStats();
        assertThat(any.getTypeUrl()).isEqualTo("io.containerd.cgroups.v2.Metrics");
        Metrics m = Metrics.parseFrom(any.getValue());
        assertThat(m.getCpu().getUsageUsec()).isEqualTo(3000);
        assertThat(m.getCpu().getUserUsec()).isEqualTo(2000);
        assertThat(m.getCpu().getSystemUsec()).isEqualTo(1000);
        assertThat(m.getCpu().getThrottledUsec()).isEqualTo(7);
        assertThat(m.getMemory().getUsage()).isEqualTo(300_000_000);
        assertThat(m.getMemory().getUsageLimit()).isEqualTo(536870912);
        assertThat(m.getMemory().getAnon()).isEqualTo(1000);
        assertThat(m.getMemory().getFile()).isEqualTo(4096);
        assertThat(m.getMemoryEvents().getMax()).isEqualTo(2);
        assertThat(m.getPids().getCurrent()).isEqualTo(3);
        assertThat(m.getIo().getUsageList()).singleElement().satisfies(e -> {
            assertThat(e.getMajor()).isEqualTo(8);
            assertThat(e.getRbytes()).isEqualTo(4096);
            assertThat(e.getWbytes()).isEqualTo(512);
            assertThat(e.getRios()).isEqualTo(2);
        });
    }

    @Test
    void aBackendWithoutStatsAnswersUnimplementedAndTheMethodsAreRegistered() throws Exception {
        assertThatThrownBy(() ->
                        service.stats(StatsRequest.newBuilder().setId("vm1").build()))
                .isInstanceOf(TtrpcException.class)
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.UNIMPLEMENTED);
        assertThatThrownBy(() ->
                        service.stats(StatsRequest.newBuilder().setId("nope").build()))
                .isInstanceOf(TtrpcException.class)
                .extracting(e -> ((TtrpcException) e).code())
                .isEqualTo(StatusCode.NOT_FOUND);
        assertThat(service.handlers()).containsKeys("Pause", "Resume", "Stats", "Update");
    }
}
