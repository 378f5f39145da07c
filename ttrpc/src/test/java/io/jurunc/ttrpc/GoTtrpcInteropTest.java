package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Talks to a real Go ttrpc server: a private containerd instance (its own root, state and sockets in a
 * temp dir) serving {@code containerd.services.events.ttrpc.v1.Events}. Skipped without root or containerd.
 */
class GoTtrpcInteropTest {
    private static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    private static final String EVENTS = "containerd.services.events.ttrpc.v1.Events";

    @TempDir
    Path dir;

    private Process containerd;
    private Path ttrpcSocket;

    @BeforeEach
    void startContainerd() throws Exception {
        assumeTrue(Files.isExecutable(CONTAINERD), "containerd is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run containerd");
        ttrpcSocket = dir.resolve("c.sock.ttrpc");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%1$s/c.sock"
                [ttrpc]
                  address = "%2$s"
                [debug]
                  address = ""
                [metrics]
                  address = ""
                """.formatted(dir, ttrpcSocket));
        containerd = new ProcessBuilder(CONTAINERD.toString(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile())
                .start();
        for (int i = 0; i < 500 && !Files.exists(ttrpcSocket); i++) {
            Thread.sleep(10);
        }
        assertThat(ttrpcSocket).as("containerd ttrpc socket").exists();
    }

    @AfterEach
    void stopContainerd() throws Exception {
        if (containerd != null) {
            containerd.destroy();
            if (!containerd.waitFor(5, TimeUnit.SECONDS)) {
                containerd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void forwardAnEventToContainerd() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(ttrpcSocket))) {
            Empty r = Empty.parseFrom(client.call(
                    EVENTS,
                    "Forward",
                    forwardRequest("default", "/jurunc/test"),
                    CallOptions.timeout(Duration.ofSeconds(5)).withMetadata("containerd-namespace-ttrpc", "default")));
            assertThat(r).isEqualTo(Empty.getDefaultInstance());
        }
    }

    @Test
    void goServerStatusesMapToTypedExceptions() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(ttrpcSocket))) {
            assertFails(
                    () -> client.call("no.such.Service", "X", new byte[0]),
                    StatusCode.UNIMPLEMENTED,
                    "service no.such.Service");
            assertFails(() -> client.call(EVENTS, "Nope", new byte[0]), StatusCode.UNIMPLEMENTED, "method Nope");
            // an invalid topic is refused by containerd with a status; the connection stays usable
            assertThatThrownBy(() -> client.call(EVENTS, "Forward", forwardRequest("default", "no-slash")))
                    .isInstanceOf(TtrpcStatusException.class);
            assertThat(client.call(EVENTS, "Forward", forwardRequest("default", "/jurunc/again")))
                    .isEmpty();
        }
    }

    @Test
    void manyConcurrentCallsAgainstGo() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(ttrpcSocket));
                var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<byte[]>>();
            for (int i = 0; i < 50; i++) {
                String topic = "/jurunc/c" + i;
                byte[] request = forwardRequest("default", topic);
                futures.add(pool.submit(
                        () -> client.call(EVENTS, "Forward", request, CallOptions.timeout(Duration.ofSeconds(10)))));
            }
            for (var f : futures) {
                assertThat(f.get()).isEmpty();
            }
        }
    }

    /** {@code ForwardRequest{Envelope envelope = 1}}, Envelope{timestamp=1, namespace=2, topic=3, event=4}. */
    private static byte[] forwardRequest(String namespace, String topic) throws IOException {
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(envelope);
        e.writeMessage(1, Timestamp.newBuilder().setSeconds(1_700_000_000L).build());
        e.writeString(2, namespace);
        e.writeString(3, topic);
        e.writeMessage(4, Any.newBuilder().setTypeUrl("jurunc.test.Ping").build());
        e.flush();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        CodedOutputStream r = CodedOutputStream.newInstance(request);
        r.writeByteArray(1, envelope.toByteArray());
        r.flush();
        return request.toByteArray();
    }
}
