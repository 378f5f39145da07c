package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-connection limits on calls in flight and the request bytes they hold. */
class ConnectionLimitsTest {
    @TempDir
    Path dir;

    @Test
    void callsBeyondTheLimitAreRefusedAndTheConnectionKeepsServing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TtrpcServer server =
                        TestServers.echo(release).connectionLimits(2, 1 << 20).build();
                TtrpcClient client = connect(server)) {
            CompletableFuture<byte[]> a =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Block", new byte[10]));
            CompletableFuture<byte[]> b =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Block", new byte[10]));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connections().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(300);
            assertFails(
                    () -> client.call(
                            TestServers.SERVICE, "Echo", StringValue.of("x").toByteArray()),
                    TtrpcStatusException.class,
                    StatusCode.RESOURCE_EXHAUSTED);
            release.countDown();
            a.get(10, TimeUnit.SECONDS);
            b.get(10, TimeUnit.SECONDS);
            assertThat(StringValue.parseFrom(client.call(
                                    TestServers.SERVICE,
                                    "Echo",
                                    StringValue.of("y").toByteArray()))
                            .getValue())
                    .isEqualTo("y");
        }
    }

    @Test
    void requestBytesBeyondTheLimitAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TtrpcServer server =
                        TestServers.echo(release).connectionLimits(100, 1000).build();
                TtrpcClient client = connect(server)) {
            CompletableFuture<byte[]> a =
                    CompletableFuture.supplyAsync(() -> TestServers.call(client, "Block", new byte[900]));
            Thread.sleep(300);
            assertFails(
                    () -> client.call(TestServers.SERVICE, "Block", new byte[200]),
                    TtrpcStatusException.class,
                    StatusCode.RESOURCE_EXHAUSTED);
            release.countDown();
            a.get(10, TimeUnit.SECONDS);
        }
    }

    private TtrpcClient connect(TtrpcServer server) throws Exception {
        return TestServers.serveAndConnect(server, dir, "l");
    }
}
