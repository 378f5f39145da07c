package io.jurunc.shim.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jurunc.shim.proto.events.Envelope;
import io.jurunc.shim.proto.events.TaskExit;
import io.jurunc.shim.proto.events.TaskStart;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrderedPublisherTest {
    @Test
    void keepsOrderAcrossRetriesAndUsesBareTypeUrls() throws InvalidProtocolBufferException {
        List<Envelope> delivered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger(2);
        EventForwarder flaky = e -> {
            if (e.getTopic().equals(Topics.TASK_START) && failures.getAndDecrement() > 0) {
                throw new IOException("connection reset");
            }
            delivered.add(e);
        };
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
        try (OrderedPublisher p = new OrderedPublisher("k8s.io", flaky, clock, Duration.ofMillis(1), m -> {})) {
            p.publish(
                    Topics.TASK_START,
                    TaskStart.newBuilder().setContainerId("c").setPid(7).build());
            p.publish(
                    Topics.TASK_EXIT,
                    TaskExit.newBuilder()
                            .setContainerId("c")
                            .setPid(7)
                            .setExitStatus(3)
                            .build());
        }
        assertThat(delivered).extracting(Envelope::getTopic).containsExactly(Topics.TASK_START, Topics.TASK_EXIT);
        Envelope exit = delivered.get(1);
        assertThat(exit.getNamespace()).isEqualTo("k8s.io");
        assertThat(exit.getTimestamp().getSeconds())
                .isEqualTo(Instant.parse("2026-05-01T10:00:00Z").getEpochSecond());
        assertThat(exit.getEvent().getTypeUrl()).isEqualTo("containerd.events.TaskExit");
        assertThat(TaskExit.parseFrom(exit.getEvent().getValue()).getExitStatus())
                .isEqualTo(3);
    }

    @Test
    void givesUpAfterFiveRetries() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> logged = Collections.synchronizedList(new ArrayList<>());
        try (OrderedPublisher p = new OrderedPublisher(
                "n",
                e -> {
                    attempts.incrementAndGet();
                    throw new IOException("down");
                },
                Clock.systemUTC(),
                Duration.ofMillis(1),
                logged::add)) {
            p.publish(Topics.TASK_OOM, TaskStart.getDefaultInstance());
        }
        assertThat(attempts).hasValue(6);
        assertThat(logged).singleElement().asString().contains("/tasks/oom");
    }

    @Test
    void binaryPublisherArgvMatchesContainerdPublish() {
        Envelope e = Envelope.newBuilder()
                .setTopic("/tasks/exit")
                .setNamespace("default")
                .build();
        assertThat(BinaryEventForwarder.argv("/usr/bin/containerd", "/run/c.sock", e))
                .containsExactly(
                        "/usr/bin/containerd",
                        "--address",
                        "/run/c.sock",
                        "publish",
                        "--topic",
                        "/tasks/exit",
                        "--namespace",
                        "default");
    }
}
