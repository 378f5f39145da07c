package io.jurunc.shim.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.GccBuild;
import io.jurunc.ttrpc.CallOptions;
import io.jurunc.ttrpc.TtrpcClient;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holder ({@code src/main/c/shim-holder.c}), compiled with gcc, in front of {@link HolderFakeDaemon}
 * JVMs: a client's connection survives a SIGKILL of the daemon JVM, the request in flight is answered by
 * the restarted one, a child of the dead JVM is reaped and its exit recorded, a clean stop ends the holder,
 * and a JVM that dies before serving ends it with its status.
 */
class HolderTest {
    private static final String SERVICE = "test.Holder";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path build;

    private static Path holderBinary;

    @TempDir
    Path tmp;

    private Process holder;
    private final List<Long> daemons = new ArrayList<>();

    @BeforeAll
    static void compile() throws Exception {
        holderBinary = GccBuild.compile(
                "shim-holder.c", build.resolve("jurunc-shim-holder"), "-O2", "-Wall", "-Wextra", "-Werror");
    }

    @AfterEach
    void stop() {
        if (holder != null) {
            holder.destroy();
            holder.onExit()
                    .orTimeout(20, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
            holder.destroyForcibly();
        }
        for (long pid : daemons) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Path socket() {
        return tmp.resolve("sock");
    }

    private HolderDir dir() {
        return HolderDir.forSocket(socket());
    }

    private void writeCmdline(List<String> cmd) throws Exception {
        Files.createDirectories(dir().dir());
        try (OutputStream out = Files.newOutputStream(dir().cmdline())) {
            for (String a : cmd) {
                out.write(a.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
        }
    }

    private void startHolder(List<String> jvm) throws Exception {
        writeCmdline(jvm);
        holder = new ProcessBuilder(
                        holderBinary.toString(),
                        socket().toString(),
                        dir().dir().toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("holder.out").toFile())
                .start();
    }

    private static List<String> fakeDaemon() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return List.of(
                java,
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                HolderFakeDaemon.class.getName());
    }

    private void awaitSocket() throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline && holder.isAlive()) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("holder did not serve " + socket() + "; log:\n" + log());
    }

    private String log() throws Exception {
        Path log = Path.of(socket() + ".log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    private static String call(TtrpcClient client, String method, String payload) throws Exception {
        return new String(
                client.call(SERVICE, method, payload.getBytes(StandardCharsets.UTF_8), CallOptions.timeout(LIMIT)),
                StandardCharsets.UTF_8);
    }

    private long who(TtrpcClient client, String restarts) throws Exception {
        String[] who = call(client, "Who", "").split(" ");
        assertThat(who[1]).isEqualTo(restarts);
        daemons.add(Long.parseLong(who[0]));
        return Long.parseLong(who[0]);
    }

    @Test
    void connectionsAndRequestsInFlightSurviveASigkillOfTheDaemon() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        assertThat(Files.getPosixFilePermissions(socket())).hasToString("[OWNER_READ, OWNER_WRITE]");
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            long first = who(client, "0");
            assertThat(ProcessHandle.of(first).orElseThrow().parent().map(ProcessHandle::pid))
                    .contains(holder.pid());
            long sleeper = Long.parseLong(call(client, "Spawn", "2"));
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(client, "Hold", "payload");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300); // let the Hold request reach the daemon before it dies

            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            assertThat(held.get(LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the request in flight is sent again to the restarted daemon")
                    .isEqualTo("held until restart 1: payload");
            long second = who(client, "1");
            assertThat(second).isNotEqualTo(first);
            assertThat(client.isOpen()).isTrue();

            // the dead JVM's child was re-parented to the holder, which reaps it and records its exit
            Path record = dir().exits().resolve(Long.toString(sleeper));
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!Files.exists(record) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(record).as("exit record; log:\n" + log()).exists();
            assertThat(Files.readString(record)).startsWith("0 ");
            assertThat(log()).contains("restarting it", "replayed 1 unanswered request(s)");
        }
    }

    @Test
    void aFrameSentInPiecesIsForwardedWhole() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        try (TtrpcClient reference = TtrpcClient.connect("unix://" + socket())) {
            who(reference, "0");
        }
        // a ttrpc request frame for test.Holder/Who, written one byte at a time
        byte[] request = requestEnvelope();
        ByteBuffer frame = ByteBuffer.allocate(10 + request.length)
                .putInt(request.length)
                .putInt(1)
                .put((byte) 1)
                .put((byte) 0)
                .put(request)
                .flip();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            while (frame.hasRemaining()) {
                ch.write(ByteBuffer.wrap(new byte[] {frame.get()}));
            }
            ByteBuffer header = ByteBuffer.allocate(10);
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // reading the response header
            }
            header.flip();
            int length = header.getInt();
            assertThat(header.getInt()).as("stream id").isEqualTo(1);
            assertThat(header.get()).as("response").isEqualTo((byte) 2);
            ByteBuffer body = ByteBuffer.allocate(length);
            while (body.hasRemaining() && ch.read(body) >= 0) {
                // reading the response
            }
            assertThat(new String(body.array(), StandardCharsets.UTF_8)).contains(" 0");
        }
    }

    /** ttrpc's Request{service = 1, method = 2, payload = 3}, encoded by hand. */
    private static byte[] requestEnvelope() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object[] f : new Object[][] {{1, SERVICE}, {2, "Who"}}) {
            byte[] v = ((String) f[1]).getBytes(StandardCharsets.UTF_8);
            out.write(((int) f[0] << 3) | 2);
            out.write(v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    @Test
    void aCleanExitOfTheDaemonEndsTheHolder() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            who(client, "0");
            assertThat(call(client, "Exit", "0")).isEqualTo("bye");
        }
        assertThat(holder.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as(log())
                .isTrue();
        assertThat(holder.exitValue()).isZero();
        assertThat(log()).doesNotContain("restarting");
    }

    @Test
    void aSigtermOfTheHolderStopsTheDaemonFirst() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        long daemon;
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            daemon = who(client, "0");
        }
        holder.destroy();
        assertThat(holder.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as(log())
                .isTrue();
        assertThat(holder.exitValue()).isZero();
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive))
                .as("daemon stopped")
                .isIn(java.util.Optional.empty(), java.util.Optional.of(false));
    }

    /**
     * A clean-up that kills a containerd's shims (found by the daemon words after "--" in the holder's argv) may
     * kill the JVM first, then the holder: the JVM the holder restarted in between must go with it.
     */
    @Test
    void aSigkillOfTheHolderTakesItsDaemonWithIt() throws Exception {
        writeCmdline(fakeDaemon());
        holder = new ProcessBuilder(
                        holderBinary.toString(),
                        socket().toString(),
                        dir().dir().toString(),
                        "--",
                        "containerd-shim-jurunc-v2",
                        "-address",
                        "/run/test/containerd.sock")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("holder.out").toFile())
                .start();
        awaitSocket();
        long daemon;
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            daemon = who(client, "0");
        }
        assertThat(holder.info().arguments().orElseThrow()).contains("-address", "/run/test/containerd.sock");
        holder.destroyForcibly();
        assertThat(holder.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(diesWithin(daemon, LIMIT)).as("daemon gone with its holder").isTrue();
    }

    /**
     * Gone, or a zombie: another test in this JVM may have made it a subreaper, and then the killed daemon
     * waits here for a reaper that never comes.
     */
    private static boolean diesWithin(long pid, java.time.Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        while (System.nanoTime() < deadline) {
            try {
                String s = Files.readString(stat);
                if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (java.io.IOException e) {
                return true; // no such process any more
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** A measurement, not a timed assertion: the median round trip of a small call, direct and through the holder. */
    @Test
    void printsTheRoundTripThroughTheHolder() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        try (TtrpcClient through = TtrpcClient.connect("unix://" + socket());
                TtrpcClient direct = TtrpcClient.connect("unix://" + dir().privateSocket())) {
            who(through, "0");
            long[] viaHolder = new long[2000];
            long[] viaDirect = new long[2000];
            for (int i = 0; i < viaHolder.length; i++) { // interleaved, so both see the same load
                long t0 = System.nanoTime();
                call(through, "Who", "");
                long t1 = System.nanoTime();
                call(direct, "Who", "");
                viaHolder[i] = t1 - t0;
                viaDirect[i] = System.nanoTime() - t1;
            }
            java.util.Arrays.sort(viaHolder);
            java.util.Arrays.sort(viaDirect);
            System.out.printf(
                    "measure: ttrpc round trip (2000 calls, median): direct %d us, through the holder %d us"
                            + " (load %s)%n",
                    viaDirect[1000] / 1000,
                    viaHolder[1000] / 1000,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            assertThat(viaHolder[1000]).isPositive();
        }
    }

    /**
     * A re-parented process that exits after the state directory went (a daemon's clean stop removes it, with
     * the log) is not recorded and leaves no log line, which would make the log file again.
     */
    @Test
    void anExitAfterTheStateDirectoryWentLeavesNoLog() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            long first = who(client, "0");
            long sleeper = Long.parseLong(call(client, "Spawn", "2"));
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            who(client, "1");
            Files.delete(dir().exits());
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (ProcessHandle.of(sleeper).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(sleeper))
                    .as("the holder reaped the sleeper")
                    .isEmpty();
            Thread.sleep(200);
            assertThat(log()).doesNotContain("cannot record the exit");
        }
    }

    @Test
    void aDaemonKilledDuringItsCleanStopIsNotRestarted() throws Exception {
        startHolder(fakeDaemon());
        awaitSocket();
        long daemon;
        try (TtrpcClient client = TtrpcClient.connect("unix://" + socket())) {
            daemon = who(client, "0");
        }
        Files.delete(dir().cmdline()); // what the daemon's clean stop removes before it exits
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        assertThat(holder.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .as(log())
                .isTrue();
        assertThat(holder.exitValue()).isZero();
        assertThat(log()).doesNotContain("(restart 1)");
    }

    @Test
    void aDaemonThatDiesBeforeServingEndsTheHolderWithItsStatus() throws Exception {
        startHolder(List.of("/bin/sh", "-c", "exit 7"));
        assertThat(holder.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).isEqualTo(7);
        assertThat(socket()).doesNotExist();
    }
}
