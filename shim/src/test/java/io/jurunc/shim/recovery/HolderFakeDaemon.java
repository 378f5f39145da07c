package io.jurunc.shim.recovery;

import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.TtrpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The daemon JVM's stand-in behind a real {@code jurunc-shim-holder} in {@link HolderTest}: serves {@code
 * test.Holder} on the holder's private socket. {@code Who}: "pid restarts"; {@code Hold}: never answered by
 * the first JVM (a request in flight when it is killed), answered by a restarted one; {@code Spawn}: starts
 * {@code sleep <payload>} and returns its pid; {@code Exit}: exits with the payload as status.
 */
public final class HolderFakeDaemon {
    private HolderFakeDaemon() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        HolderDir dir = HolderDir.fromEnv(env).orElseThrow();
        String restarts = env.getOrDefault(HolderDir.RESTARTS_ENV, "?");
        CountDownLatch never = new CountDownLatch(1);
        TtrpcServer server = TtrpcServer.builder()
                .register(
                        "test.Holder",
                        "Who",
                        (p, c) -> bytes(ProcessHandle.current().pid() + " " + restarts))
                .register("test.Holder", "Hold", (p, c) -> {
                    if (restarts.equals("0")) {
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return bytes("held until restart " + restarts + ": " + new String(p, StandardCharsets.UTF_8));
                })
                .register("test.Holder", "Spawn", (p, c) -> {
                    try {
                        Process sleep = new ProcessBuilder("sleep", new String(p, StandardCharsets.UTF_8)).start();
                        return bytes(Long.toString(sleep.pid()));
                    } catch (java.io.IOException e) {
                        throw new io.jurunc.ttrpc.TtrpcException(io.jurunc.ttrpc.StatusCode.INTERNAL, e.getMessage());
                    }
                })
                .register("test.Holder", "Exit", (p, c) -> {
                    int status = Integer.parseInt(new String(p, StandardCharsets.UTF_8));
                    Thread.ofPlatform().start(() -> {
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException ignored) {
                            // exit anyway
                        }
                        System.exit(status);
                    });
                    return bytes("bye");
                })
                .build();
        Files.deleteIfExists(dir.privateSocket());
        server.serve(Listener.unixSameUser(dir.privateSocket()));
        never.await();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
