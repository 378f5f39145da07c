package io.jurunc.ttrpc;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/** The test service used across the server/client tests. */
final class TestServers {
    static final String SERVICE = "jurunc.test.v1.Echo";

    private TestServers() {}

    /** Echo (StringValue → StringValue), Fail (→ NOT_FOUND), Block (waits on the latch), Boom (runtime error). */
    static TtrpcServer.Builder echo(CountDownLatch release) {
        return TtrpcServer.builder()
                .register(
                        SERVICE,
                        "Echo",
                        UnaryHandler.proto(
                                StringValue.parser(),
                                (req, ctx) -> StringValue.of(req.getValue()
                                        + ctx.metadata().first("suffix").orElse(""))))
                .register(SERVICE, "FailWithDetails", (payload, ctx) -> {
                    throw new TtrpcStatusException(
                            StatusCode.FAILED_PRECONDITION,
                            "with details",
                            java.util.List.of(com.google.protobuf.Any.pack(StringValue.of("detail-1"))));
                })
                .register(SERVICE, "Fail", (payload, ctx) -> {
                    throw new TtrpcException(StatusCode.NOT_FOUND, "no such thing");
                })
                .register(SERVICE, "Boom", (payload, ctx) -> {
                    throw new IllegalStateException("kaboom");
                })
                .register(SERVICE, "Crash", (payload, ctx) -> {
                    throw new StackOverflowError("deep");
                })
                .register(SERVICE, "Block", (payload, ctx) -> {
                    await(release);
                    return payload;
                })
                .register(
                        SERVICE,
                        "Timeout",
                        (payload, ctx) -> String.valueOf(ctx.timeout()
                                        .map(java.time.Duration::toMillis)
                                        .orElse(-1L))
                                .getBytes());
    }

    /** A handler that signals {@code entered} once it runs, then waits for {@code release} and echoes. */
    static UnaryHandler holding(Semaphore entered, CountDownLatch release) {
        return (payload, ctx) -> {
            entered.release();
            await(release);
            return payload;
        };
    }

    /** Serves {@code server} on a fresh socket in {@code dir} and connects a client to it. */
    static TtrpcClient serveAndConnect(TtrpcServer server, Path dir, String prefix) throws Exception {
        Path socket = dir.resolve(prefix + System.nanoTime() + ".sock");
        server.serve(Listener.unix(socket));
        return TtrpcClient.connect(new TtrpcAddress.Unix(socket));
    }

    /** A unary call on the test service, its TtrpcException unchecked (for use in a future). */
    static byte[] call(TtrpcClient client, String method, byte[] payload) {
        try {
            return client.call(SERVICE, method, payload);
        } catch (TtrpcException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path socketIn(Path dir) {
        return dir.resolve("t.sock");
    }
}
