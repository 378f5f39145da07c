package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several clients at once, some vanishing mid-call: ids stay unique, state is released, nothing leaks. */
class ManyClientsTest {
    @TempDir
    Path dir;

    @Test
    void clientsComeAndGoWithoutLeakingConnections() throws Exception {
        Set<Long> seenIds = ConcurrentHashMap.newKeySet();
        AtomicInteger closes = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        Path socket = dir.resolve("m.sock");
        try (TtrpcServer server = TtrpcServer.builder()
                        .register("s", "Hello", UnaryHandler.proto(StringValue.parser(), (req, ctx) -> {
                            if (seenIds.add(ctx.connectionId())) {
                                ctx.onClose(closes::incrementAndGet);
                            }
                            return StringValue.of(req.getValue() + "@" + ctx.connectionId());
                        }))
                        .register("s", "Hang", (payload, ctx) -> {
                            try {
                                never.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return payload;
                        })
                        .build();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            server.serve(Listener.unix(socket));

            List<Future<Set<String>>> clients = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                boolean vanish = c % 3 == 0;
                clients.add(pool.submit(() -> {
                    Set<String> connIds = ConcurrentHashMap.newKeySet();
                    TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket));
                    for (int i = 0; i < 20; i++) {
                        String r = client.call("s", "Hello", StringValue.of("x"), StringValue.parser())
                                .getValue();
                        connIds.add(r.substring(r.indexOf('@') + 1));
                    }
                    if (vanish) {
                        Thread.ofVirtual().start(() -> {
                            try {
                                client.call("s", "Hang", new byte[0]);
                            } catch (TtrpcException expected) {
                                // the client closes under it
                            }
                        });
                        Thread.sleep(50);
                    }
                    client.close();
                    return connIds;
                }));
            }
            Set<String> allIds = ConcurrentHashMap.newKeySet();
            for (Future<Set<String>> f : clients) {
                Set<String> ids = f.get(30, TimeUnit.SECONDS);
                assertThat(ids).as("one connection id per client").hasSize(1);
                allIds.addAll(ids);
            }
            assertThat(allIds).as("ids are unique across clients").hasSize(10);

            for (int i = 0;
                    i < 500 && (closes.get() < 10 || !server.connections().isEmpty());
                    i++) {
                Thread.sleep(10);
            }
            assertThat(closes.get()).isEqualTo(10);
            assertThat(server.connections()).isEmpty();
            never.countDown();
        }
    }
}
