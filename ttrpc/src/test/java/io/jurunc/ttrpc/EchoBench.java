package io.jurunc.ttrpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ad-hoc echo benchmark over a unix socket (a main program, not a test; see docs/ttrpc.md
 * "Measurements").
 */
public final class EchoBench {
    private static final String SERVICE = "bench";
    private static final String METHOD = "Echo";

    private EchoBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ttrpc-bench");
        Path socket = dir.resolve("b.sock");
        try (TtrpcServer server =
                TtrpcServer.builder().register(SERVICE, METHOD, (p, c) -> p).build()) {
            server.serve(Listener.unix(socket));
            try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket))) {
                sequential(client, new byte[64], 20_000);
                concurrent(client, new byte[64], 16, 2_000);
                large(client, new byte[1 << 20], 200);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void sequential(TtrpcClient client, byte[] payload, int calls) throws TtrpcException {
        for (int i = 0; i < calls; i++) {
            client.call(SERVICE, METHOD, payload);
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            client.call(SERVICE, METHOD, payload);
        }
        double us = (System.nanoTime() - start) / 1e3 / calls;
        System.out.printf(
                "sequential %d B echo: %.1f us/call (%d calls after %d warm-up)%n", payload.length, us, calls, calls);
    }

    private static void concurrent(TtrpcClient client, byte[] payload, int callers, int callsEach) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < callers; k++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        client.call(SERVICE, METHOD, payload);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "%d concurrent callers, %d B echo: %.0f calls/s%n",
                    callers, payload.length, callers * callsEach / seconds);
        }
    }

    private static void large(TtrpcClient client, byte[] payload, int calls) throws TtrpcException {
        for (int i = 0; i < calls / 4; i++) {
            client.call(SERVICE, METHOD, payload);
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            client.call(SERVICE, METHOD, payload);
        }
        long elapsed = System.nanoTime() - start;
        double mib = payload.length / (1024.0 * 1024.0);
        System.out.printf(
                "%.0f MiB echo: %.2f ms/call, %.0f MiB/s each way%n",
                mib, elapsed / 1e6 / calls, mib * calls / (elapsed / 1e9));
    }
}
