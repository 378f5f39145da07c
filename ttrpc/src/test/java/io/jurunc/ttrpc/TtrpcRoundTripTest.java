package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.assertFails;
import static io.jurunc.ttrpc.TtrpcAssert.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtrpcRoundTripTest {
    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private TtrpcServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private TtrpcClient unixClient() throws Exception {
        server = TestServers.echo(release).build();
        Path socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
        return TtrpcClient.connect("unix://" + socket);
    }

    @Test
    void statusDetailsTravelToTheClient() throws Exception {
        try (TtrpcClient client = unixClient()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> client.call(TestServers.SERVICE, "FailWithDetails", new byte[0]))
                    .isInstanceOfSatisfying(TtrpcStatusException.class, e -> {
                        org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(StatusCode.FAILED_PRECONDITION);
                        org.assertj.core.api.Assertions.assertThat(e.details()).hasSize(1);
                    });
        }
    }

    @Test
    void roundTripOverUnixSocket() throws Exception {
        try (TtrpcClient client = unixClient()) {
            StringValue r = client.call(TestServers.SERVICE, "Echo", StringValue.of("hello"), StringValue.parser());
            assertThat(r.getValue()).isEqualTo("hello");
        }
    }

    @Test
    void roundTripOverTcp() throws Exception {
        server = TestServers.echo(release).build();
        Listener listener = Listener.tcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.serve(listener);
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        try (TtrpcClient client = TtrpcClient.connect("tcp://127.0.0.1:" + port)) {
            StringValue r = client.call(TestServers.SERVICE, "Echo", StringValue.of("tcp"), StringValue.parser());
            assertThat(r.getValue()).isEqualTo("tcp");
        }
    }

    @Test
    void metadataAndTimeoutReachTheHandler() throws Exception {
        try (TtrpcClient client = unixClient()) {
            StringValue r = client.call(
                    TestServers.SERVICE,
                    "Echo",
                    StringValue.of("a"),
                    StringValue.parser(),
                    CallOptions.none().withMetadata("Suffix", "-b"));
            byte[] t = client.call(
                    TestServers.SERVICE, "Timeout", new byte[0], CallOptions.timeout(Duration.ofSeconds(7)));

            assertThat(r.getValue()).isEqualTo("a-b");
            assertThat(new String(t)).isEqualTo("7000");
        }
    }

    @Test
    void fiftyConcurrentCallsOnOneConnection() throws Exception {
        try (TtrpcClient client = unixClient();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String v = "call-" + i;
                results.add(pool.submit(() -> echo(client, v)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(results.get(i).get()).isEqualTo("call-" + i);
            }
        }
    }

    @Test
    void callsProceedWhileAnotherCallBlocks() throws Exception {
        try (TtrpcClient client = unixClient();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> blocked = pool.submit(() -> client.call(TestServers.SERVICE, "Block", "x".getBytes()));
            StringValue r = client.call(
                    TestServers.SERVICE,
                    "Echo",
                    StringValue.of("free"),
                    StringValue.parser(),
                    CallOptions.timeout(Duration.ofSeconds(5)));
            assertThat(r.getValue()).isEqualTo("free");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get()).isEqualTo("x".getBytes());
        }
    }

    @Test
    void unknownServiceAndMethodAnswerUnimplemented() throws Exception {
        try (TtrpcClient client = unixClient()) {
            assertFails(
                    () -> client.call("no.such.Service", "Echo", new byte[0]),
                    StatusCode.UNIMPLEMENTED,
                    "service no.such.Service");
            assertFails(
                    () -> client.call(TestServers.SERVICE, "Nope", new byte[0]),
                    StatusCode.UNIMPLEMENTED,
                    "method Nope");
        }
    }

    @Test
    void handlerErrorsBecomeStatuses() throws Exception {
        try (TtrpcClient client = unixClient()) {
            assertFails(
                    () -> client.call(TestServers.SERVICE, "Fail", new byte[0]), StatusCode.NOT_FOUND, "no such thing");
            assertFails(() -> client.call(TestServers.SERVICE, "Boom", new byte[0]), StatusCode.UNKNOWN, "kaboom");
            assertThatThrownBy(() -> client.call(TestServers.SERVICE, "Crash", new byte[0]))
                    .isInstanceOfSatisfying(TtrpcStatusException.class, e -> {
                        assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
                        assertThat(e.statusMessage()).contains("StackOverflowError");
                    });
            assertFails(
                    () -> client.call(TestServers.SERVICE, "Echo", new byte[] {(byte) 0xff}),
                    TtrpcStatusException.class,
                    StatusCode.INTERNAL);
            // the connection is still usable
            assertThat(echo(client, "still")).isEqualTo("still");
        }
    }

    @Test
    void callTimesOutAndTheConnectionStaysUsable() throws Exception {
        try (TtrpcClient client = unixClient()) {
            long start = System.nanoTime();
            assertFails(
                    () -> client.call(
                            TestServers.SERVICE, "Block", new byte[0], CallOptions.timeout(Duration.ofMillis(200))),
                    TtrpcTimeoutException.class,
                    StatusCode.DEADLINE_EXCEEDED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            release.countDown(); // the late answer to the abandoned stream is dropped
            assertThat(echo(client, "after")).isEqualTo("after");
        }
    }

    @Test
    void closingTheClientFailsPendingCalls() throws Exception {
        TtrpcClient client = unixClient();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> pending = pool.submit(() -> client.call(TestServers.SERVICE, "Block", new byte[0]));
            awaitConnections(1);
            Thread.sleep(100);
            client.close();
            assertThatThrownBy(pending::get).hasCauseInstanceOf(TtrpcConnectionException.class);
            assertThatThrownBy(() -> client.call(TestServers.SERVICE, "Echo", new byte[0]))
                    .isInstanceOf(TtrpcConnectionException.class);
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void serverGoingAwayFailsPendingCallsAndFiresClientOnClose() throws Exception {
        TtrpcClient client = unixClient();
        CountDownLatch clientClosed = new CountDownLatch(1);
        client.onClose(clientClosed::countDown);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> pending = pool.submit(() -> client.call(TestServers.SERVICE, "Block", new byte[0]));
            awaitConnections(1);
            server.close();
            assertThatThrownBy(pending::get).hasCauseInstanceOf(TtrpcConnectionException.class);
            assertThat(clientClosed.await(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
    }

    @Test
    void oversizedRequestIsRefusedLocally() throws Exception {
        server = TestServers.echo(release).maxMessageLength(1024).build();
        Path socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket), 1024)) {
            assertFails(
                    () -> client.call(TestServers.SERVICE, "Echo", new byte[2000]),
                    MessageTooLargeException.class,
                    StatusCode.RESOURCE_EXHAUSTED);
            assertThat(echo(client, "small")).isEqualTo("small");
        }
    }

    @Test
    void oversizedResponseBecomesResourceExhausted() throws Exception {
        server = TtrpcServer.builder()
                .maxMessageLength(1024)
                .register("s", "Big", (p, c) -> new byte[4096])
                .build();
        Path socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket), 1024)) {
            assertFails(
                    () -> client.call("s", "Big", new byte[0]),
                    TtrpcStatusException.class,
                    StatusCode.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void responseOverTheClientLimitFailsOnlyThatCall() throws Exception {
        server = TtrpcServer.builder()
                .maxMessageLength(8192)
                .register("s", "Big", (p, c) -> new byte[4096])
                .register("s", "Small", (p, c) -> new byte[] {1})
                .build();
        Path socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket), 1024)) {
            assertThatThrownBy(() -> client.call("s", "Big", new byte[0]))
                    .isInstanceOfSatisfying(
                            MessageTooLargeException.class,
                            e -> assertThat(e.statusMessage())
                                    .isEqualTo("message length 4101 exceed maximum message size of 1024"));
            assertThat(client.call("s", "Small", new byte[0])).containsExactly(1);
        }
    }

    @Test
    void unixSocketFileIsRemovedOnClose() throws Exception {
        server = TestServers.echo(release).build();
        Path socket = TestServers.socketIn(dir);
        server.serve(Listener.unix(socket));
        assertThat(socket).exists();
        server.close();
        for (int i = 0; i < 100 && Files.exists(socket); i++) {
            Thread.sleep(10);
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void connectAndBindErrorsNameTheAddress() throws Exception {
        Path missing = dir.resolve("missing.sock");
        assertThatThrownBy(() -> TtrpcClient.connect(new TtrpcAddress.Unix(missing)))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageContaining("cannot connect to unix://" + missing);

        Path taken = dir.resolve("taken.sock");
        try (Listener first = Listener.unix(taken)) {
            assertThatThrownBy(() -> Listener.unix(taken))
                    .isInstanceOf(java.net.BindException.class)
                    .hasMessageContaining("cannot listen on unix://" + taken)
                    .hasMessageContaining("remove a stale socket");
            assertThat(first.localAddress().toString()).contains("taken.sock");
        }
        assertThatThrownBy(() -> Listener.unix(dir.resolve("no/such/dir.sock")))
                .isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("parent directory does not exist");
    }

    private void awaitConnections(int n) throws InterruptedException {
        for (int i = 0; i < 500 && server.connections().size() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(server.connections()).hasSize(n);
    }
}
