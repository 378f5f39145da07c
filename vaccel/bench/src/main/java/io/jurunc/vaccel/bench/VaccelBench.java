package io.jurunc.vaccel.bench;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.Arg;
import io.jurunc.vaccel.ArgType;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.agent.Agent;
import io.jurunc.vaccel.onnx.OnnxModels;
import io.jurunc.vaccel.rpc.RpcPlugin;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * vAccel overhead benchmark: per-op latency of noop, exec and classify run locally, through the agent over
 * a unix socket and over TCP loopback; then payload throughput (exec echo through noop) from 1 KiB to
 * 64 MiB. The agent runs in this JVM (same host, separate threads). Plain main: warm-up, then timed loop.
 *
 * <p>Usage: {@code VaccelBench [--quick] [--only latency|throughput] [--modes local,handoff,unix,tcp] [--ops noop,exec,classify] [--sizes 16K,1M]}; prints
 * tables, then issue 15's targets as MET/NOT with the load average at each reading.
 */
public final class VaccelBench {
    private VaccelBench() {}

    /** Command-line options: {@code --quick}, {@code --only latency|throughput}, {@code --modes local,handoff,unix,tcp}, {@code --ops noop,exec,classify}, {@code --sizes 16K,64K}. */
    record Options(
            boolean quick,
            boolean latency,
            boolean throughput,
            List<String> modes,
            List<Integer> sizes,
            List<String> ops) {
        static Options parse(String[] args) {
            boolean quick = false;
            boolean latency = true;
            boolean throughput = true;
            List<String> modes = List.of("local", "handoff", "unix", "tcp");
            List<String> ops = List.of("noop", "exec", "classify");
            List<Integer> sizes = new java.util.ArrayList<>();
            for (int size = 1024; size <= 64 << 20; size *= 4) {
                sizes.add(size);
            }
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--only" -> {
                        String what = args[++i];
                        latency = what.equals("latency");
                        throughput = what.equals("throughput");
                        if (!latency && !throughput) {
                            throw new IllegalArgumentException("--only latency|throughput");
                        }
                    }
                    case "--modes" -> modes = List.of(args[++i].split(","));
                    case "--ops" -> ops = List.of(args[++i].split(","));
                    case "--sizes" ->
                        sizes = Arrays.stream(args[++i].split(","))
                                .map(Options::size)
                                .toList();
                    default ->
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + " (usage: [--quick] [--only latency|throughput] [--modes local,handoff,unix,tcp] [--ops noop,exec,classify]"
                                + " [--sizes 16K,1M])");
                }
            }
            return new Options(quick, latency, throughput, modes, List.copyOf(sizes), ops);
        }

        private static int size(String s) {
            String u = s.toUpperCase(Locale.ROOT);
            int shift = u.endsWith("K") ? 10 : u.endsWith("M") ? 20 : 0;
            return Integer.parseInt(shift == 0 ? u : u.substring(0, u.length() - 1)) << shift;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = Files.createTempDirectory("vaccel-bench");
        try {
            run(dir, options);
        } finally {
            try (Stream<Path> w = Files.walk(dir)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Vaccel client(String address) {
        return Vaccel.bootstrap(
                VaccelConfig.of("rpc").withEnv(Map.of("VACCEL_RPC_ADDRESS", address)), List.of(new RpcPlugin()));
    }

    /** One measured row: wall-time percentiles plus what the process spent per op, and the load at the time. */
    record Stats(
            double meanUs,
            double p50Us,
            double p99Us,
            double csPerOp,
            double cpuUsPerOp,
            double allocPerOp,
            int iters,
            String load) {}

    /**
     * Per-op costs that do not depend on the load much: voluntary context switches and CPU time of this JVM's
     * threads (client and agent), as deltas per thread of {@code /proc/self/task/N/schedstat} (nanoseconds)
     * and {@code status}; a thread started meanwhile counts from zero. A thread that ended meanwhile (a JIT
     * compiler thread, an agent reader handed off) takes its share with it: such rows are marked {@code *}.
     */
    private static final class Counters {
        private static final com.sun.management.ThreadMXBean MX =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        private final long allocatedBefore = MX.getTotalThreadAllocatedBytes();
        private final Map<String, long[]> threads = threadTimes();
        private Map<String, long[]> end;
        private long allocatedAfter;

        /** Takes the end reading; the per-op figures below use it. */
        Counters stop() {
            end = threadTimes();
            allocatedAfter = MX.getTotalThreadAllocatedBytes();
            return this;
        }

        /** Java heap bytes allocated by all of this JVM's threads (client and agent) per op. */
        double allocatedPer(int ops) {
            return (double) (allocatedAfter - allocatedBefore) / ops;
        }

        private long delta(int field) {
            long sum = 0;
            for (var e : end.entrySet()) {
                long[] before = threads.get(e.getKey());
                sum += e.getValue()[field] - (before == null ? 0 : before[field]);
            }
            return sum;
        }

        boolean threadsEnded() {
            return !end.keySet().containsAll(threads.keySet());
        }

        double switchesPer(int ops) {
            return (double) delta(1) / ops;
        }

        double cpuUsPer(int ops) {
            return delta(0) / 1000.0 / ops;
        }
    }

    private static void run(Path dir, Options options) throws Exception {
        boolean quick = options.quick();
        Path lib = compileExecLib(dir);
        Path model = Files.write(dir.resolve("colours.onnx"), OnnxModels.colourClassifier(0.5f));
        Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
        byte[] png = redPng();
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", dir.toString());
        // profiling on both sides alike: the agent's own time per classify is read from its regions
        VaccelConfig hostConfig =
                VaccelConfig.of("noop", "exec", "onnx").withEnv(env).withProfiling(true);

        try (Vaccel local = Vaccel.bootstrap(hostConfig);
                Vaccel host = Vaccel.bootstrap(hostConfig);
                Agent agent = Agent.start(
                        host,
                        List.of(new TtrpcAddress.Unix(dir.resolve("agent.sock")), new TtrpcAddress.Tcp("127.0.0.1", 0)),
                        false)) {
            int tcpPort = ((InetSocketAddress) agent.localAddresses().get(1)).getPort();
            Map<String, Vaccel> modes = new java.util.LinkedHashMap<>();
            Map<String, Stats> results = new java.util.HashMap<>();
            for (String m : options.modes()) {
                modes.put(
                        m,
                        switch (m) {
                            case "local" -> local;
                            // its own instance, run through a HandOff in the latency table
                            case "handoff" -> Vaccel.bootstrap(hostConfig);
                            case "unix" -> client("unix://" + dir.resolve("agent.sock"));
                            case "tcp" -> client("tcp://127.0.0.1:" + tcpPort);
                            default ->
                                throw new IllegalArgumentException(
                                        "unknown mode " + m + " (local, handoff, unix, tcp)");
                        });
            }
            String loadBefore = loadAverage();
            System.out.printf(
                    Locale.ROOT,
                    "# vAccel benchmark, %s, %d CPUs, Java %s, load average %s%n",
                    quick ? "quick" : "full",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version(),
                    loadBefore);
            System.out.println("# JVM options: "
                    + String.join(
                            " ",
                            java.lang.management.ManagementFactory.getRuntimeMXBean()
                                    .getInputArguments()));
            System.out.println(
                    "# cs/op: voluntary context switches of this JVM per op (thread wake-ups: hand-offs between threads,");
            System.out.println(
                    "#   waits for the socket); cpu/op: CPU time of this JVM (client and agent) per op. Both hardly depend");
            System.out.println(
                    "#   on the load, while wall times at a load above the 2 cores swing 2-10x between identical runs.");
            System.out.println(
                    "#   Both are per-thread deltas (/proc/self/task/*/schedstat, status) of the threads alive at the end, JIT");
            System.out.println(
                    "#   compiler threads left out; a * after cpu/op: a thread ended meanwhile, its share missing (a handed-off reader).");
            try {
                if (options.latency()) {
                    latencies(modes, results, lib, model, labels, png, quick, options.ops(), dir, local, host);
                }
                if (options.throughput()) {
                    Map<String, Vaccel> echoModes = new java.util.LinkedHashMap<>(modes);
                    echoModes.remove("handoff");
                    throughputs(echoModes, results, options.sizes(), quick);
                }
                targets(results, loadBefore);
            } finally {
                for (var e : modes.entrySet()) {
                    if (e.getValue() != local) {
                        e.getValue().close();
                    }
                }
            }
        }
    }

    /**
     * Per-op latency of noop, exec and classify, the modes interleaved call by call (local, unix, tcp, local,
     * ...) so that each sees the same load: remote/local ratios stay meaningful on a busy machine.
     */
    private static void latencies(
            Map<String, Vaccel> modes,
            Map<String, Stats> results,
            Path lib,
            Path model,
            Path labels,
            byte[] png,
            boolean quick,
            List<String> ops,
            Path dir,
            Vaccel local,
            Vaccel host)
            throws java.io.IOException {
        System.out.println();
        System.out.println("# per-op latency (µs), modes interleaved call by call");
        System.out.println(
                "# warm-up: each op runs n/2 rounds, then more in blocks until a block's median stops improving");
        System.out.println(
                "#   by more than 10 % and the JIT compiled nothing during it (at most 20 blocks); only then is it");
        System.out.println(
                "#   measured (n rounds timed; then per mode n/4 calls and >= 0.5 s in a row counted for cs/op and cpu/op)");
        System.out.println(
                "# bare-unix/bare-tcp: a bare socket round trip of a noop's bytes (98 out, 12 back) between two");
        System.out.println(
                "#   threads of this JVM, blocking reads, no ttrpc or vAccel: this machine's floor for a round trip");
        System.out.println(
                "# noop: local = vaccel_noop; unix/tcp = one RPC round trip (a genop exec through the agent's noop");
        System.out.println("#   plugin, no args), since the rpc plugin completes noop itself as vAccel's does");
        System.out.println(
                "# handoff: the local op run by a second thread of this JVM while the caller parks (two wake-ups,");
        System.out.println(
                "#   no socket, no encoding): what a remote call costs beyond the op for its thread hand-offs alone");
        System.out.println("# alloc B/op: Java heap bytes allocated per op by all threads (client and agent)");
        System.out.printf(
                Locale.ROOT,
                "%-9s %-9s %10s %10s %10s %8s %10s %11s %8s  %s%n",
                "op",
                "mode",
                "mean",
                "p50",
                "p99",
                "cs/op",
                "cpu µs/op",
                "alloc B/op",
                "iters",
                "load");
        List<Session> sessions = new java.util.ArrayList<>();
        List<BareRoundTrip> bare = new java.util.ArrayList<>();
        HandOff handOff = modes.containsKey("handoff") ? new HandOff() : null;
        try {
            Map<String, Runnable> noops = new java.util.LinkedHashMap<>();
            Map<String, Runnable> execs = new java.util.LinkedHashMap<>();
            Map<String, Runnable> classifies = new java.util.LinkedHashMap<>();
            for (var e : modes.entrySet()) {
                Vaccel v = e.getValue();
                Session noop = v.createSession(PluginType.DEBUG);
                Session exec = v.createSession(PluginType.SOFTWARE);
                Session onnx = v.createSession(PluginType.GPU);
                sessions.addAll(List.of(noop, exec, onnx));
                onnx.register(v.createResource(
                        ResourceSpec.ofPaths(List.of(model.toString(), labels.toString()), ResourceType.MODEL)));
                boolean inProcess = e.getKey().equals("local") || e.getKey().equals("handoff");
                Runnable noopBody =
                        inProcess ? noop::noop : () -> noop.exec("/bench/none.so", "none", List.of(), List.of());
                Runnable execBody = () -> {
                    Arg out = Arg.output(ArgType.INT32, 4);
                    exec.exec(lib.toString(), "mytestfunc", List.of(Arg.int32(21)), List.of(out));
                    if (out.asInt32() != 42) {
                        throw new IllegalStateException("exec returned " + out.asInt32());
                    }
                };
                Runnable classifyBody = () -> {
                    if (!onnx.classify(png).tags().endsWith(" red")) {
                        throw new IllegalStateException("classify did not answer red");
                    }
                };
                if (e.getKey().equals("handoff")) {
                    noopBody = handOff.wrap(noopBody);
                    execBody = handOff.wrap(execBody);
                    classifyBody = handOff.wrap(classifyBody);
                }
                noops.put(e.getKey(), noopBody);
                execs.put(e.getKey(), execBody);
                classifies.put(e.getKey(), classifyBody);
            }
            int n = quick ? 2000 : 20000;
            if (ops.contains("noop")) {
                if (modes.containsKey("unix")) {
                    BareRoundTrip b = BareRoundTrip.open(UnixDomainSocketAddress.of(dir.resolve("bare.sock")));
                    bare.add(b);
                    noops.put("bare-unix", b::run);
                }
                if (modes.containsKey("tcp")) {
                    BareRoundTrip b = BareRoundTrip.open(new InetSocketAddress("127.0.0.1", 0));
                    bare.add(b);
                    noops.put("bare-tcp", b::run);
                }
                interleaved("noop", noops, n, results);
            }
            if (ops.contains("exec")) {
                interleaved("exec", execs, n, results);
            }
            if (ops.contains("classify")) {
                long[] window = interleaved("classify", classifies, quick ? 200 : 2000, results);
                serviceTimes(local, host, window, results);
            }
        } finally {
            for (Session s : sessions) {
                s.close();
            }
            for (BareRoundTrip b : bare) {
                b.close();
            }
            if (handOff != null) {
                handOff.close();
            }
        }
    }

    /**
     * Runs each call on one worker thread while the caller parks, and wakes the caller when it is done: the two
     * thread wake-ups of a remote call (the agent's reader, then the caller) without a socket, framing or
     * encoding. Beside the remote rows it tells how much of their extra over the local op is the hand-offs.
     */
    private static final class HandOff implements AutoCloseable {
        private final Thread worker;
        private volatile Runnable task;
        private volatile Thread caller;
        private volatile boolean done;
        private volatile RuntimeException failure;
        private volatile boolean closed;

        HandOff() {
            worker = Thread.ofPlatform().daemon().name("bench-handoff").start(this::serve);
        }

        Runnable wrap(Runnable body) {
            return () -> run(body);
        }

        private void serve() {
            while (!closed) {
                Runnable t = task;
                if (t == null) {
                    LockSupport.park(this);
                    continue;
                }
                task = null;
                try {
                    t.run();
                } catch (RuntimeException e) {
                    failure = e;
                }
                done = true;
                LockSupport.unpark(caller);
            }
        }

        void run(Runnable body) {
            caller = Thread.currentThread();
            done = false;
            failure = null;
            task = body;
            LockSupport.unpark(worker);
            while (!done) {
                LockSupport.park(this);
            }
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }

        @Override
        public void close() {
            closed = true;
            LockSupport.unpark(worker);
            try {
                worker.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The time a classify spends inside vAccel (the {@code vaccel_image_op} region: decode, resize, inference)
     * locally and inside the agent, for the calls of the timed window: what is left of a remote call is its
     * round trip and the two thread wake-ups it needs (the agent's reader, then the caller).
     */
    private static void serviceTimes(Vaccel local, Vaccel host, long[] window, Map<String, Stats> results) {
        double localUs = regionP50(local, window);
        double agentUs = regionP50(host, window);
        if (Double.isNaN(localUs) || Double.isNaN(agentUs)) {
            return;
        }
        results.put("classify service local", new Stats(0, localUs, 0, 0, 0, 0, 0, ""));
        results.put("classify service agent", new Stats(0, agentUs, 0, 0, 0, 0, 0, ""));
        System.out.printf(
                Locale.ROOT,
                "# classify inside vAccel (p50 of vaccel_image_op in the timed window): local %.1f µs, in the agent"
                        + " %.1f µs (%.2fx)%n",
                localUs,
                agentUs,
                agentUs / localUs);
    }

    private static double regionP50(Vaccel v, long[] window) {
        var region = v.profiler().region("vaccel_image_op");
        if (region == null) {
            return Double.NaN;
        }
        long[] t = region.samples().stream()
                .filter(x -> x.start() >= window[0] && x.start() < window[1])
                .mapToLong(x -> x.time())
                .sorted()
                .toArray();
        return t.length == 0 ? Double.NaN : t[t.length / 2] / 1000.0;
    }

    /**
     * A bare socket round trip between the calling thread and an echo thread: 98 bytes out, 12 back (the
     * frames of a noop genop), blocking channels, one write and one read on each side. No ttrpc, no vAccel:
     * the floor under an RPC round trip on this machine, read in the same run.
     */
    private static final class BareRoundTrip implements AutoCloseable {
        private final ServerSocketChannel server;
        private final SocketChannel client;
        private final Thread echo;
        private final ByteBuffer request = ByteBuffer.allocateDirect(98);
        private final ByteBuffer answer = ByteBuffer.allocateDirect(12);

        private BareRoundTrip(ServerSocketChannel server, SocketChannel client, Thread echo) {
            this.server = server;
            this.client = client;
            this.echo = echo;
        }

        static BareRoundTrip open(java.net.SocketAddress bindTo) throws java.io.IOException {
            ServerSocketChannel server = ServerSocketChannel.open(
                    bindTo instanceof UnixDomainSocketAddress
                            ? StandardProtocolFamily.UNIX
                            : StandardProtocolFamily.INET);
            server.bind(bindTo);
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel peer = server.accept();
            if (!(bindTo instanceof UnixDomainSocketAddress)) {
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            Thread echo = Thread.ofPlatform().daemon().name("bare-echo").start(() -> serve(peer));
            return new BareRoundTrip(server, client, echo);
        }

        private static void serve(SocketChannel peer) {
            ByteBuffer in = ByteBuffer.allocateDirect(98);
            ByteBuffer out = ByteBuffer.allocateDirect(12);
            try (peer) {
                while (true) {
                    in.clear();
                    while (in.hasRemaining()) {
                        if (peer.read(in) < 0) {
                            return;
                        }
                    }
                    out.clear();
                    while (out.hasRemaining()) {
                        peer.write(out);
                    }
                }
            } catch (java.io.IOException e) {
                // closed by close()
            }
        }

        void run() {
            try {
                request.clear();
                while (request.hasRemaining()) {
                    client.write(request);
                }
                answer.clear();
                while (answer.hasRemaining()) {
                    if (client.read(answer) < 0) {
                        throw new java.io.EOFException("bare echo closed");
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws java.io.IOException {
            java.net.SocketAddress address = server.getLocalAddress();
            try {
                client.close();
                server.close();
                echo.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (address instanceof UnixDomainSocketAddress u) {
                    Files.deleteIfExists(u.getPath());
                }
            }
        }
    }

    /**
     * Runs {@code n} rounds of one call per mode, timing each call, after a warm-up (n/2 rounds, then blocks
     * of n/10 rounds until the median stops improving and the JIT was quiet during a block, see
     * {@link #warmUntilSteady}); then, per
     * mode, n/4 calls in a row to count the wake-ups and CPU time per call (the process-wide counters cannot
     * be split between interleaved modes, and are too coarse to read around single calls).
     *
     * @return the timed window's start and end ({@link System#nanoTime()})
     */
    private static long[] interleaved(String op, Map<String, Runnable> bodies, int n, Map<String, Stats> results) {
        for (int i = 0; i < n / 2; i++) {
            bodies.values().forEach(Runnable::run);
        }
        int rounds = Math.max(n / 10, 10);
        int blocks = warmUntilSteady(() -> bodies.values().forEach(Runnable::run), rounds, WARM_UP_MAX_NANOS);
        Map<String, long[]> times = new java.util.LinkedHashMap<>();
        bodies.keySet().forEach(m -> times.put(m, new long[n]));
        long jitBefore = compilerCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            for (var e : bodies.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().run();
                times.get(e.getKey())[i] = System.nanoTime() - t0;
            }
        }
        long end = System.nanoTime();
        long jitNanos = compilerCpuNanos() - jitBefore;
        String load = loadAverage();
        System.out.printf(
                Locale.ROOT,
                "# %s: measured after %d warm-up rounds%s; JIT compiler threads during the timed rounds: %.0f ms"
                        + " (%.1f %% of the window)%n",
                op,
                n / 2 + Math.abs(blocks) * rounds,
                blocks < 0 ? " (warm-up cap reached with the JIT still compiling: not a steady reading)" : "",
                jitNanos / 1e6,
                100.0 * jitNanos / (end - start));
        for (var e : times.entrySet()) {
            // at least n/4 calls and half a second, so that the other threads' background (JIT, GC, timers)
            // is spread over many calls
            Counters c = new Counters();
            int calls = 0;
            long countStart = System.nanoTime();
            while (calls < Math.max(n / 4, 10) || System.nanoTime() - countStart < 500_000_000L) {
                bodies.get(e.getKey()).run();
                calls++;
            }
            c.stop();
            double cs = c.switchesPer(calls);
            double cpu = c.cpuUsPer(calls);
            long[] t = e.getValue();
            Arrays.sort(t);
            Stats s = new Stats(
                    Arrays.stream(t).average().orElse(0) / 1000.0,
                    t[n / 2] / 1000.0,
                    t[(int) (n * 0.99)] / 1000.0,
                    cs,
                    cpu,
                    c.allocatedPer(calls),
                    n,
                    load);
            results.put(op + " " + e.getKey(), s);
            System.out.printf(
                    Locale.ROOT,
                    "%-9s %-9s %10.1f %10.1f %10.1f %8.1f %9.1f%s %11.0f %8d  %s%n",
                    op,
                    e.getKey(),
                    s.meanUs(),
                    s.p50Us(),
                    s.p99Us(),
                    s.csPerOp(),
                    s.cpuUsPerOp(),
                    c.threadsEnded() ? "*" : " ",
                    s.allocPerOp(),
                    n,
                    load);
        }
        return new long[] {start, end};
    }

    /** Longest latency warm-up (after its first n/2 rounds) before the timed rounds start anyway. */
    private static final long WARM_UP_MAX_NANOS = TimeUnit.SECONDS.toNanos(20);

    /**
     * Runs {@code body} in blocks of {@code rounds} until a block's median time is within 10 % of the previous
     * block's and the JIT was quiet during it: no compilation finished and the compiler threads ran for less than
     * 1 % of the block's time. The second test matters: a C2 compilation of the RPC path takes 100 ms and more,
     * longer than a quick run's block (~25 ms), so a block during it finished no compilation and passed the
     * first test; the timed rounds then shared the 2 vCPUs with a busy compiler thread (a perf sched trace of a
     * quick run: our C2 thread ran 412 ms of the 0.6 s timed window, and noop unix read 33-56 µs p50 against
     * 19-24 µs in full runs). Gives up after {@code maxNanos}.
     *
     * @return the blocks run, negative when the time cap ended the warm-up before the JIT was quiet
     */
    private static int warmUntilSteady(Runnable body, int rounds, long maxNanos) {
        double previous = Double.MAX_VALUE;
        long deadline = System.nanoTime() + maxNanos;
        for (int block = 1; ; block++) {
            long compiled = compileMillis();
            long jit = compilerCpuNanos();
            long blockStart = System.nanoTime();
            long[] t = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                body.run();
                t[i] = System.nanoTime() - t0;
            }
            long blockEnd = System.nanoTime();
            boolean jitQuiet = compileMillis() == compiled && (compilerCpuNanos() - jit) * 100 < blockEnd - blockStart;
            Arrays.sort(t);
            double median = t[rounds / 2];
            if (median > 0.9 * previous && jitQuiet) {
                return block;
            }
            if (blockEnd - deadline > 0) {
                return -block;
            }
            previous = Math.min(previous, median);
        }
    }

    /**
     * CPU time the JIT compiler threads of this JVM have used so far (ns, from /proc/self/task/&lt;tid&gt;/schedstat):
     * a compilation in progress shows here, while {@link #compileMillis} counts it only once it has finished.
     * 0 where /proc cannot be read.
     */
    private static long compilerCpuNanos() {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C2 Compiler") || comm.startsWith("C1 Compiler")) {
                        sum += Long.parseLong(
                                Files.readString(t.resolve("schedstat")).split(" ")[0]);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return sum;
    }

    /** Total time the JIT compilers have spent so far (ms), or 0 where the JVM does not tell. */
    private static long compileMillis() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static void throughputs(
            Map<String, Vaccel> modes, Map<String, Stats> results, List<Integer> sizes, boolean quick) {
        System.out.println();
        System.out.println(
                "# payload throughput: exec through noop, N bytes in and N bytes back (one whole genop each way)");
        System.out.println(
                "# a ! after p50: the size's warm-up ended at its cap with the JIT still compiling (not a steady reading)");
        System.out.printf(
                Locale.ROOT,
                "%-9s %-9s %10s %10s %10s %8s %10s %8s  %s%n",
                "size",
                "mode",
                "p50 ms",
                "p99 ms",
                "MiB/s@p50",
                "cs/op",
                "cpu µs/op",
                "iters",
                "load");
        // JIT warm-up of the large-message paths (protobuf bytes fields, frame copies): without it the
        // first sizes above 16 KiB were measured while still interpreted (64 KiB: 3.9 ms at 200 calls,
        // 0.22 ms at 3 000).
        // At a load of 9, a 256 KiB echo still took 6.0, 1.2, 0.42, 0.40, 0.37 ms in five back-to-back
        // measurements (CPU per op 7.7 ms down to 0.4 ms, the C2 compiler thread the busiest one): hence a
        // longer warm-up over the whole size range.
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(quick ? 8 : 20);
        while (System.nanoTime() < warmEnd) {
            for (var e : modes.entrySet()) {
                for (int size : new int[] {4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}) {
                    warm(e.getValue(), size);
                }
            }
        }
        for (int size : sizes) {
            for (var e : modes.entrySet()) {
                results.put(size + " " + e.getKey(), throughput(e.getValue(), e.getKey(), size, quick));
            }
        }
    }

    /** Issue 15's targets, each met or not, from this run's p50s, with the load at the time of the reading. */
    private static void targets(Map<String, Stats> r, String loadBefore) {
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "# issue-15 targets (load average before %s, after %s; 2 cores shared with other builds:%n",
                loadBefore,
                loadAverage());
        System.out.println("#   a reading taken at a load above 2 is indicative only)");
        Stats noop = r.get("noop unix");
        if (noop != null) {
            Stats bare = r.get("noop bare-unix");
            target(
                    String.format(
                            Locale.ROOT,
                            "noop round trip over unix p50 <= 30 us (%.1f us, p99 %.1f us, cpu %.1f us/op%s)",
                            noop.p50Us(),
                            noop.p99Us(),
                            noop.cpuUsPerOp(),
                            bare == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            "; a bare socket round trip in this run: %.1f us, cpu %.1f us/op",
                                            bare.p50Us(),
                                            bare.cpuUsPerOp())),
                    noop.p50Us() <= 30,
                    noop.load());
        }
        Stats local = r.get("classify local");
        Stats inAgent = r.get("classify service agent");
        Stats inLocal = r.get("classify service local");
        Stats handoff = r.get("classify handoff");
        for (String mode : List.of("unix", "tcp")) {
            Stats remote = r.get("classify " + mode);
            if (local != null && remote != null) {
                double ratio = remote.p50Us() / local.p50Us();
                String cause = inAgent == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; inside vAccel %.0f us in the agent vs %.0f us locally, so %.0f us of the remote"
                                        + " call is round trip and wake-ups; cpu %.0f vs %.0f us/op",
                                inAgent.p50Us(),
                                inLocal.p50Us(),
                                remote.p50Us() - inAgent.p50Us(),
                                remote.cpuUsPerOp(),
                                local.cpuUsPerOp());
                if (handoff != null) {
                    cause += String.format(
                            Locale.ROOT,
                            "; the local op handed to a second thread: %.0f us (%.3fx local)",
                            handoff.p50Us(),
                            handoff.p50Us() / local.p50Us());
                }
                target(
                        String.format(
                                Locale.ROOT,
                                "classify %s p50 <= 1.10x local (%.3fx: %.0f vs %.0f us, interleaved%s)",
                                mode,
                                ratio,
                                remote.p50Us(),
                                local.p50Us(),
                                cause),
                        ratio <= 1.10,
                        remote.load());
            }
        }
        for (String mode : List.of("unix", "tcp")) {
            for (int size = 256 << 10; size <= 64 << 20; size *= 4) {
                Stats s = r.get(size + " " + mode);
                if (s == null) {
                    continue;
                }
                double mib = mibPerSecond(size, s);
                target(
                        String.format(Locale.ROOT, "%s %s >= 500 MiB/s (%.0f)", mode, human(size), mib),
                        mib >= 500,
                        s.load());
            }
            for (int size = 1024; size < 64 << 20; size *= 4) {
                Stats s = r.get(size + " " + mode);
                Stats larger = r.get(size * 4 + " " + mode);
                if (s == null || larger == null || size < 16 << 10) {
                    continue;
                }
                double mib = mibPerSecond(size, s);
                double mibLarger = mibPerSecond(size * 4, larger);
                target(
                        String.format(
                                Locale.ROOT,
                                "%s %s per byte no slower than %s (%.0f vs %.0f MiB/s, %.2fx)",
                                mode,
                                human(size),
                                human(size * 4),
                                mib,
                                mibLarger,
                                mib / mibLarger),
                        mib >= mibLarger,
                        s.load());
            }
        }
    }

    private static double mibPerSecond(int size, Stats s) {
        return 2.0 * size / (1 << 20) / (s.p50Us() / 1e6);
    }

    private static void target(String what, boolean met, String load) {
        System.out.printf(Locale.ROOT, "%-4s %s [load %s]%n", met ? "MET" : "NOT", what, load);
    }

    /**
     * Per thread id: {CPU ns (schedstat), voluntary context switches}; threads that end while read are left out,
     * and so are the JIT compiler threads.
     */
    private static Map<String, long[]> threadTimes() {
        Map<String, long[]> out = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C2 Compiler") || comm.startsWith("C1 Compiler")) {
                        continue; // the JIT's late compilations are warm-up, not a cost of the op
                    }
                    long cpu = Long.parseLong(
                            Files.readString(t.resolve("schedstat")).split(" ")[0]);
                    long switches = 0;
                    for (String line : Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            switches = Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    out.put(t.getFileName().toString(), new long[] {cpu, switches});
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return out;
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ",
                    Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static void warm(Vaccel v, int size) {
        try (Session s = v.createSession(PluginType.DEBUG)) {
            Arg in = Arg.of(ArgType.UINT8_ARRAY, new byte[size]);
            for (int i = 0; i < 20; i++) {
                s.exec("/bench/none.so", "echo", List.of(in), List.of(Arg.output(ArgType.UINT8_ARRAY, size)));
            }
        }
    }

    /** Times echo ops of {@code size} bytes for a fixed time budget after a warm-up. */
    private static Stats throughput(Vaccel v, String mode, int size, boolean quick) {
        try (Session s = v.createSession(PluginType.DEBUG)) {
            byte[] data = new byte[size];
            new java.util.Random(size).nextBytes(data);
            Arg in = Arg.of(ArgType.UINT8_ARRAY, data);
            Runnable op = () -> {
                Arg out = Arg.output(ArgType.UINT8_ARRAY, size);
                s.exec("/bench/none.so", "echo", List.of(in), List.of(out));
                if (out.buffer()[size - 1] != data[size - 1]) {
                    throw new IllegalStateException("payload corrupted");
                }
            };
            long budget = TimeUnit.MILLISECONDS.toNanos(quick ? 300 : 1500);
            // warm-up in blocks of a third of the budget until a block's median stops improving by more than
            // 10 % and the JIT compiled nothing during it (at most 12 blocks): at a high load the JIT needs
            // seconds to compile a size's paths, and a size measured before that looked 5-15x slower than the
            // same size measured again later (a quick run's 16 KiB, the first size after the warm-up above)
            double previous = Double.MAX_VALUE;
            boolean steady = false;
            for (int block = 0; block < 12 && !steady; block++) {
                long compiled = compileMillis();
                List<Long> w = new java.util.ArrayList<>();
                long warm = System.nanoTime();
                while (w.size() < 3 || System.nanoTime() - warm < budget / 3) {
                    long t0 = System.nanoTime();
                    op.run();
                    w.add(System.nanoTime() - t0);
                }
                java.util.Collections.sort(w);
                double median = w.get(w.size() / 2);
                steady = median > 0.9 * previous && compileMillis() == compiled;
                previous = Math.min(previous, median);
            }
            List<Long> times = new java.util.ArrayList<>();
            long start = System.nanoTime();
            Counters counters = new Counters();
            int minIters = quick ? 5 : 11;
            while (times.size() < minIters || System.nanoTime() - start < budget) {
                long t0 = System.nanoTime();
                op.run();
                times.add(System.nanoTime() - t0);
            }
            counters.stop();
            double cs = counters.switchesPer(times.size());
            double cpu = counters.cpuUsPer(times.size());
            java.util.Collections.sort(times);
            double mean = times.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0;
            Stats st = new Stats(
                    mean,
                    times.get(times.size() / 2) / 1000.0,
                    times.get(Math.min(times.size() - 1, (int) (times.size() * 0.99))) / 1000.0,
                    cs,
                    cpu,
                    counters.allocatedPer(times.size()),
                    times.size(),
                    loadAverage());
            System.out.printf(
                    Locale.ROOT,
                    "%-9s %-9s %9.3f%s %10.3f %10.1f %8.1f %9.1f%s %8d  %s%n",
                    human(size),
                    mode,
                    st.p50Us() / 1000,
                    steady ? " " : "!",
                    st.p99Us() / 1000,
                    mibPerSecond(size, st),
                    cs,
                    cpu,
                    counters.threadsEnded() ? "*" : " ",
                    times.size(),
                    st.load());
            return st;
        }
    }

    private static String human(int size) {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }

    private static byte[] redPng() throws Exception {
        BufferedImage img = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200, 40, 30));
        g.fillRect(0, 0, 224, 224);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static Path compileExecLib(Path dir) throws Exception {
        Path src = dir.resolve("mytestlib.c");
        try (InputStream in = VaccelBench.class.getResourceAsStream("/mytestlib.c")) {
            Files.copy(in, src);
        }
        Path so = dir.resolve("libmytestlib.so");
        Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-o", so.toString(), src.toString())
                .inheritIO()
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gcc failed");
        }
        return so;
    }
}
