package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TtrpcServer.Builder#runHandlersOnReader}: cheap calls are read, handled and answered by the
 * connection's reader thread; a long one hands the reading to a new thread so the connection keeps serving;
 * the per-connection limits still hold. And {@link TtrpcServer.Builder#maxConnections}.
 */
class HandlersOnReaderTest {
    private static final String WHO = "Who";

    @TempDir
    Path dir;

    /** Hold calls that have started. */
    private final java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);

    /**
     * The echo service plus "Who" (answers the name of the thread that ran it, and whether it was virtual) and
     * "Hold" (signals {@link #entered}, then waits for {@code release}).
     */
    private TtrpcServer.Builder server(CountDownLatch release) {
        return TestServers.echo(release)
                .register(
                        TestServers.SERVICE,
                        WHO,
                        (payload, ctx) -> (Thread.currentThread().getName()
                                        + (Thread.currentThread().isVirtual() ? " virtual" : " platform"))
                                .getBytes())
                .register(TestServers.SERVICE, "Hold", TestServers.holding(entered, release));
    }

    private TtrpcClient connect(TtrpcServer server) throws Exception {
        return TestServers.serveAndConnect(server, dir, "h");
    }

    private static String who(TtrpcClient client) throws TtrpcException {
        return new String(client.call(TestServers.SERVICE, WHO, new byte[0]));
    }

    @Test
    void cheapCallsRunOnTheReaderThreadOnlyWhenAskedFor() throws Exception {
        try (TtrpcServer server = server(new CountDownLatch(0))
                        .runHandlersOnReader(Duration.ofSeconds(5))
                        .build();
                TtrpcClient client = connect(server)) {
            for (int i = 0; i < 3; i++) {
                assertThat(who(client)).isEqualTo("ttrpc-conn-1 platform");
            }
            assertThat(StringValue.parseFrom(client.call(
                                    TestServers.SERVICE,
                                    "Echo",
                                    StringValue.of("x").toByteArray()))
                            .getValue())
                    .isEqualTo("x");
        }
        try (TtrpcServer server = server(new CountDownLatch(0)).build();
                TtrpcClient client = connect(server)) {
            assertThat(who(client)).endsWith(" virtual");
        }
    }

    @Test
    void aLongCallHandsTheReadingToANewThreadSoTheConnectionKeepsServing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TtrpcServer server = server(release)
                        .runHandlersOnReader(Duration.ofMillis(20))
                        .build();
                TtrpcClient client = connect(server)) {
            CompletableFuture<byte[]> blocked =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Hold", "b".getBytes()));
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            // answered while Hold still holds the first reader thread: a second reader took over
            assertThat(who(client)).isEqualTo("ttrpc-conn-1-2 platform");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("b".getBytes());
            // the first thread answered Hold and ended; the second one goes on reading
            assertThat(who(client)).isEqualTo("ttrpc-conn-1-2 platform");
        }
    }

    @Test
    void perConnectionCallLimitHoldsWhenHandlersRunOnTheReader() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TtrpcServer server = server(release)
                        .runHandlersOnReader(Duration.ofMillis(5))
                        .connectionLimits(2, 1 << 20)
                        .build();
                TtrpcClient client = connect(server)) {
            CompletableFuture<byte[]> a =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Hold", new byte[10]));
            CompletableFuture<byte[]> b =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Hold", new byte[10]));
            // the second Hold could only be read because a new reader took over from the first
            assertThat(entered.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();
            assertFails(
                    () -> client.call(
                            TestServers.SERVICE, "Echo", StringValue.of("x").toByteArray()),
                    TtrpcStatusException.class,
                    StatusCode.RESOURCE_EXHAUSTED);
            release.countDown();
            a.get(10, TimeUnit.SECONDS);
            b.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreAnsweredResourceExhaustedAndClosed() throws Exception {
        Path socket = dir.resolve("max.sock");
        try (TtrpcServer server =
                server(new CountDownLatch(0)).maxConnections(2).build()) {
            server.serve(Listener.unix(socket));
            TtrpcClient first = TtrpcClient.connect("unix://" + socket);
            TtrpcClient second = TtrpcClient.connect("unix://" + socket);
            try {
                who(first);
                who(second);
                try (TtrpcClient third = TtrpcClient.connect("unix://" + socket)) {
                    assertFails(
                            () -> who(third),
                            StatusCode.RESOURCE_EXHAUSTED,
                            "too many connections: 2 open, the server's limit is 2");
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (third.isOpen() && System.nanoTime() < end) {
                        Thread.sleep(10);
                    }
                    assertThat(third.isOpen())
                            .as("the refused connection is closed")
                            .isFalse();
                }
                assertThat(server.connections()).hasSize(2);
                who(first);
            } finally {
                first.close();
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connections().size() > 1 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            try (TtrpcClient again = TtrpcClient.connect("unix://" + socket)) {
                assertThat(who(again)).endsWith(" virtual");
            } finally {
                second.close();
            }
        }
    }
}
