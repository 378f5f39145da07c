package io.jurunc.ttrpc;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

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
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
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

    static Path socketIn(Path dir) {
        return dir.resolve("t.sock");
    }
}
