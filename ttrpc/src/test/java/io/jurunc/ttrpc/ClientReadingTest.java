package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.echo;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's callers read the connection themselves and pass the reading on: answers reach the right
 * callers under concurrency, an interrupt of a reading caller leaves the connection usable, and the loss
 * of an idle connection is still noticed without a call.
 */
class ClientReadingTest {
    @TempDir
    Path dir;

    private final Semaphore entered = new Semaphore(0);

    private TtrpcServer server(CountDownLatch release) {
        return TestServers.echo(release)
                .register(TestServers.SERVICE, "Hold", TestServers.holding(entered, release))
                .build();
    }

    private TtrpcClient connect(TtrpcServer server) throws Exception {
        return TestServers.serveAndConnect(server, dir, "c");
    }

    @Test
    void concurrentPlatformCallersEachGetTheirOwnAnswers() throws Exception {
        try (TtrpcServer server = server(new CountDownLatch(0));
                TtrpcClient client = connect(server)) {
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 300; i++) {
                            String v = id + ":" + i + ":" + "x".repeat((id * 997 + i * 31) % 5000);
                            String r = echo(client, v);
                            if (!r.equals(v)) {
                                throw new AssertionError("thread " + id + " call " + i + " got another call's answer");
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(60_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void interruptingACallerThatReadsTheConnectionKeepsTheConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TtrpcServer server = server(release);
                TtrpcClient client = connect(server)) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    // a call just before: the background thread leaves the reading to this caller
                    client.call(
                            TestServers.SERVICE, "Echo", StringValue.of("warm").toByteArray());
                    outcome.set(new String(client.call(TestServers.SERVICE, "Hold", "h".getBytes())));
                } catch (TtrpcException e) {
                    outcome.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            caller.interrupt();
            Thread.sleep(100);
            release.countDown();
            caller.join(10_000);
            // a caller reading the connection finishes its read (answer and interrupt flag back); one waiting
            // for another reader gives up at once (CANCELLED); either way the connection stays
            assertThat(outcome.get())
                    .satisfiesAnyOf(
                            o -> assertThat(o).isEqualTo("h"),
                            o -> assertThat(o)
                                    .isInstanceOfSatisfying(
                                            TtrpcException.class,
                                            e -> assertThat(e.code()).isEqualTo(StatusCode.CANCELLED)));
            assertThat(stillInterrupted.get()).isTrue();
            assertThat(client.isOpen()).isTrue();
            assertThat(echo(client, "after")).isEqualTo("after");
        }
    }

    @Test
    void theLossOfAnIdleConnectionIsNoticedWithoutACall() throws Exception {
        TtrpcServer server = server(new CountDownLatch(0));
        try (TtrpcClient client = connect(server)) {
            assertThat(echo(client, "x")).isEqualTo("x");
            CountDownLatch closed = new CountDownLatch(1);
            client.onClose(closed::countDown);
            server.close();
            assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.isOpen()).isFalse();
        }
    }
}
