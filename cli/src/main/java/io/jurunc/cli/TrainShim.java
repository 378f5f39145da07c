package io.jurunc.cli;

import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.config.JuruncConfig;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.ContainerStateException;
import io.jurunc.runtime.lifecycle.CreateOperation;
import io.jurunc.runtime.lifecycle.CreateRequest;
import io.jurunc.runtime.lifecycle.DeleteOperation;
import io.jurunc.runtime.lifecycle.KillOperation;
import io.jurunc.runtime.lifecycle.ResourceUpdate;
import io.jurunc.runtime.lifecycle.RuntimeContext;
import io.jurunc.runtime.lifecycle.StartOperation;
import io.jurunc.runtime.lifecycle.StateQuery;
import io.jurunc.runtime.lifecycle.UpdateOperation;
import io.jurunc.runtime.wiring.Runtimes;
import io.jurunc.shim.ShimMain;
import io.jurunc.shim.backend.BackendException;
import io.jurunc.shim.backend.BackendSelector;
import io.jurunc.shim.backend.ContainerBackend;
import io.jurunc.shim.backend.CreateSpec;
import io.jurunc.shim.backend.Created;
import io.jurunc.shim.backend.WasmBackend;
import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.daemon.ShimDaemon;
import io.jurunc.shim.events.OrderedPublisher;
import io.jurunc.shim.events.TtrpcEventForwarder;
import io.jurunc.shim.os.LinuxShimOs;
import io.jurunc.shim.proto.events.ForwardRequest;
import io.jurunc.shim.proto.task.ConnectRequest;
import io.jurunc.shim.proto.task.ConnectResponse;
import io.jurunc.shim.proto.task.CreateTaskRequest;
import io.jurunc.shim.proto.task.CreateTaskResponse;
import io.jurunc.shim.proto.task.DeleteRequest;
import io.jurunc.shim.proto.task.DeleteResponse;
import io.jurunc.shim.proto.task.KillRequest;
import io.jurunc.shim.proto.task.PidsRequest;
import io.jurunc.shim.proto.task.PidsResponse;
import io.jurunc.shim.proto.task.StartRequest;
import io.jurunc.shim.proto.task.StartResponse;
import io.jurunc.shim.proto.task.StateRequest;
import io.jurunc.shim.proto.task.StateResponse;
import io.jurunc.shim.proto.task.WaitRequest;
import io.jurunc.shim.proto.task.WaitResponse;
import io.jurunc.shim.recovery.DiskTaskJournal;
import io.jurunc.shim.recovery.HolderDir;
import io.jurunc.shim.task.TaskService;
import io.jurunc.ttrpc.CallOptions;
import io.jurunc.ttrpc.Listener;
import io.jurunc.ttrpc.TtrpcClient;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.ttrpc.TtrpcServer;
import io.jurunc.ttrpc.UnaryHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The AOT-cache training of the shim daemon (make-dist.sh, {@code lib/jurunc-shim.aot}): what the node's
 * first daemon JVM runs between its start and the first container's {@code start.done}, so that a cold
 * daemon loads those classes from the cache instead of from the jars (docs/performance.md).
 *
 * <ol>
 *   <li>{@link ShimDaemon#run} itself, behind a holder state directory and with an events socket as
 *       containerd's {@code TTRPC_ADDRESS} and the CLI's node socket where {@code JURUNC_NODE_SOCKET} says
 *       (it is left out unless that names a socket other than the host's): its start-up, then a Connect, a
 *       State and a Create that fail as they would in containerd (unknown id, a bundle without config.json),
 *       over ttrpc.
 *   <li>The same wiring with a backend that runs the runtime library on a throw-away state root: Create,
 *       Start, State, Pids, Kill, Wait and Delete of a Linux microVM bundle, the monitor being a script
 *       that sleeps (no KVM, no guest), its events forwarded to that socket. The network is set up in the
 *       namespace make-dist.sh made ({@code -Djurunc.train.netns}), as for the CLI's training; without
 *       one, or without root (the sandbox helper needs it), the steps that need them fail and the rest is
 *       still trained.
 * </ol>
 * Each step that fails is reported on stderr (make-dist.sh keeps it in {@code aot-shim-training.log});
 * the exit status is 0 unless the training could not run at all.
 */
public final class TrainShim {
    static final String NAMESPACE = "jurunc-train";
    static final String TASK = "containerd.task.v2.Task";
    static final String EVENTS = "containerd.services.events.ttrpc.v1.Events";
    private static final Duration CALL = Duration.ofSeconds(20);

    /**
     * Loaded, not run: the launcher's main class, which the JVM looks up before anything else. Archived, it is
     * found among the cache's classes; otherwise the class loader opens the class path's jars in order until
     * the shim's (about 20 ms).
     */
    static final List<Class<?>> ENTRY_POINTS = List.of(ShimMain.class);

    private TrainShim() {}

    /** What one training run did: the steps that succeeded and those that failed (with why). */
    record Outcome(List<String> done, List<String> failed) {
        Outcome {
            done = List.copyOf(done);
            failed = List.copyOf(failed);
        }
    }

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("jurunc-train-shim");
        Outcome outcome;
        try {
            outcome = run(
                    tmp,
                    Optional.ofNullable(System.getProperty("jurunc.home"))
                            .filter(h -> !h.isEmpty())
                            .map(Path::of),
                    Optional.ofNullable(System.getProperty("jurunc.train.netns"))
                            .filter(n -> !n.isEmpty()),
                    System.err::println);
        } finally {
            deleteTree(tmp);
        }
        System.err.println("train-shim: done " + outcome.done());
        outcome.failed().forEach(f -> System.err.println("train-shim: not trained: " + f));
        // the daemons' threads (listeners, reapers, publishers) do not end by themselves
        System.exit(0);
    }

    /**
     * Runs the training in {@code dir} (left for the caller to delete). {@code home}: the distribution,
     * whose {@code libexec/jurunc-sandbox} the microVM's create needs; {@code netns}: a namespace with a
     * default route for start's network set-up.
     */
    static Outcome run(Path dir, Optional<Path> home, Optional<String> netns, Consumer<String> log) throws IOException {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Path events = dir.resolve("events.sock");
        TtrpcServer eventSink = TtrpcServer.builder()
                .register(
                        EVENTS,
                        "Forward",
                        UnaryHandler.proto(ForwardRequest.parser(), (r, c) -> Empty.getDefaultInstance()))
                .build();
        eventSink.serve(Listener.unixSameUser(events));
        try {
            step("daemon start-up and its refusals", done, failed, () -> trainDaemon(dir, events));
            step(
                    "a microVM's lifecycle through the task API",
                    done,
                    failed,
                    () -> trainLifecycle(dir, events, home, netns, log));
        } finally {
            eventSink.close();
        }
        return new Outcome(done, failed);
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private static void step(String name, List<String> done, List<String> failed, Step step) {
        long t0 = System.nanoTime();
        try {
            step.run();
            done.add(name + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        } catch (Exception e) {
            failed.add(name + ": " + e);
        }
    }

    /**
     * {@link ShimDaemon#run} as the holder starts it, then the calls containerd makes that fail. The node daemon
     * also starts its node services, which read their sockets from the process's environment: without
     * {@code JURUNC_NODE_SOCKET} set (make-dist.sh gives a private path), the CLI's would take the host's.
     */
    private static void trainDaemon(Path dir, Path events) throws Exception {
        String cliSocket = System.getenv(ServedCall.NODE_SOCKET_ENV);
        if (cliSocket == null || cliSocket.isEmpty() || cliSocket.equals(ServedCall.DEFAULT_NODE_SOCKET)) {
            throw new IllegalStateException(ServedCall.NODE_SOCKET_ENV
                    + " is not set to a socket of the training's own: the daemon would serve the CLI on "
                    + ServedCall.DEFAULT_NODE_SOCKET);
        }
        Path run = Files.createDirectories(dir.resolve("run"));
        Path socket = run.resolve("node");
        HolderDir holder = HolderDir.forSocket(socket);
        Files.createDirectories(holder.dir());
        Files.setPosixFilePermissions(holder.dir(), PosixFilePermissions.fromString("rwx------"));
        ShimFlags flags = ShimFlags.parse(List.of(
                "-namespace",
                NAMESPACE,
                "-id",
                "jurunc-node",
                "-address",
                dir.resolve("containerd.sock").toString(),
                "-socket",
                socket.toString()));
        Map<String, String> env = Map.of(
                "TTRPC_ADDRESS", events.toString(), HolderDir.ENV, holder.dir().toString());
        Thread daemon = Thread.ofPlatform().daemon().name("train-daemon").start(() -> ShimDaemon.run(flags, env));
        Path served = holder.privateSocket();
        long deadline = System.nanoTime() + CALL.toNanos();
        while (!Files.exists(served)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon did not serve " + served);
            }
            Thread.sleep(5);
        }
        Path noBundle = Files.createDirectories(dir.resolve("no-bundle"));
        try (TtrpcClient client = connect(served)) {
            attempt(() -> call(
                    client, "Connect", ConnectRequest.newBuilder().setId("c0").build(), ConnectResponse.parser()));
            attempt(() ->
                    call(client, "State", StateRequest.newBuilder().setId("c0").build(), StateResponse.parser()));
            attempt(() -> call(
                    client,
                    "Create",
                    CreateTaskRequest.newBuilder()
                            .setId("c0")
                            .setBundle(noBundle.toString())
                            .build(),
                    CreateTaskResponse.parser()));
        }
    }

    private interface Call {
        void run() throws TtrpcException;
    }

    /** A call whose answer does not matter (an unknown id, a broken bundle: containerd's error paths). */
    private static void attempt(Call call) {
        try {
            call.run();
        } catch (TtrpcException expected) {
            // the error path is what is trained
        }
    }

    private static TtrpcClient connect(Path socket) throws IOException {
        return TtrpcClient.connect("unix://" + socket);
    }

    private static <R> R call(TtrpcClient client, String method, MessageLite request, Parser<R> parser)
            throws TtrpcException {
        return client.call(
                TASK,
                method,
                request,
                parser,
                CallOptions.timeout(CALL).withMetadata("containerd-namespace-ttrpc", NAMESPACE));
    }

    /**
     * ShimDaemon's wiring with a {@link TrainingBackend}: the task API over ttrpc, the journal, the events;
     * then the calls of a {@code ctr run} and of its removal.
     */
    private static void trainLifecycle(
            Path dir, Path events, Optional<Path> home, Optional<String> netns, Consumer<String> log) throws Exception {
        Path bundle = bundle(dir, netns);
        RuntimeContext ctx = Runtimes.context(dir.resolve("state"), JuruncConfig.load(config(dir, home)), m -> {});
        LinuxShimOs os = new LinuxShimOs();
        os.becomeSubreaper(); // the sandbox helper's monitor is re-parented to the daemon, which reaps it
        OrderedPublisher publisher = new OrderedPublisher(
                NAMESPACE,
                new TtrpcEventForwarder(events.toString()),
                Clock.systemUTC(),
                Duration.ofMillis(100),
                m -> {});
        Path holder = Files.createDirectories(dir.resolve("lifecycle.d"));
        TrainingBackend backend = new TrainingBackend(ctx);
        BackendSelector selector = new BackendSelector(
                backend,
                backend,
                BackendSelector.metadataClassifier(),
                new WasmBackend(m -> {}),
                WasmBackend.classifier());
        TaskService service = new TaskService(
                os, selector, publisher, () -> {}, m -> {}, new DiskTaskJournal(new HolderDir(holder), m -> {}));
        TtrpcServer.Builder builder = TtrpcServer.builder();
        for (String name : TaskService.SERVICE_NAMES) {
            builder.register(name, service.handlers());
        }
        TtrpcServer server = builder.build();
        Path socket = dir.resolve("task.sock");
        server.serve(Listener.unixSameUser(socket));
        String id = "train-1";
        try (TtrpcClient client = connect(socket);
                TtrpcClient waiter = connect(socket)) {
            Path out = dir.resolve("out");
            int pid = call(
                            client,
                            "Create",
                            CreateTaskRequest.newBuilder()
                                    .setId(id)
                                    .setBundle(bundle.toString())
                                    .setStdout(out.resolve("stdout").toString())
                                    .setStderr(out.resolve("stderr").toString())
                                    .build(),
                            CreateTaskResponse.parser())
                    .getPid();
            call(client, "Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser());
            call(client, "State", StateRequest.newBuilder().setId(id).build(), StateResponse.parser());
            try {
                call(client, "Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
                call(client, "State", StateRequest.newBuilder().setId(id).build(), StateResponse.parser());
                call(client, "Pids", PidsRequest.newBuilder().setId(id).build(), PidsResponse.parser());
            } finally {
                CompletableFuture<WaitResponse> exited = CompletableFuture.supplyAsync(() -> {
                    try {
                        return call(
                                waiter,
                                "Wait",
                                WaitRequest.newBuilder().setId(id).build(),
                                WaitResponse.parser());
                    } catch (TtrpcException e) {
                        throw new IllegalStateException(e);
                    }
                });
                call(
                        client,
                        "Kill",
                        KillRequest.newBuilder().setId(id).setSignal(9).build(),
                        com.google.protobuf.Empty.parser());
                exited.get(CALL.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                call(client, "Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
                log.accept("train-shim: microVM " + id + " (pid " + pid + ") created, started and deleted");
            }
        } finally {
            server.close();
            publisher.close();
        }
    }

    /** A Linux microVM bundle as `ctr run` makes it: its own network (the given namespace) and pid namespace. */
    private static Path bundle(Path dir, Optional<String> netns) throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.writeString(rootfs.resolve("httpd"), "not really httpd");
        String network =
                netns.map(n -> "{\"type\":\"network\",\"path\":\"" + n + "\"},").orElse("");
        Files.writeString(bundle.resolve("config.json"), """
                {"ociVersion":"1.1.0","process":{"args":["/bin/httpd","-f","-p","8080"],"env":["PATH=/bin"],"cwd":"/"},
                 "root":{"path":"rootfs"},
                 "annotations":{"com.urunc.unikernel.unikernelType":"linux","com.urunc.unikernel.hypervisor":"qemu"},
                 "linux":{"namespaces":[%s{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
                          "resources":{"memory":{"limit":268435456}}}}
                """.formatted(network));
        return bundle;
    }

    /**
     * The runtime's config: a kit that is only names, a monitor that records nothing and sleeps, the sandbox
     * helper of the distribution (when known) and timestamps on, as the benchmark runs it.
     */
    private static Path config(Path dir, Optional<Path> home) throws IOException {
        Path kit = Files.createDirectories(dir.resolve("kit"));
        Files.writeString(kit.resolve("vmlinuz"), "kernel");
        Files.writeString(kit.resolve("init"), "init");
        Files.writeString(kit.resolve("kit.json"), """
                {"version":1,"kernel":"vmlinuz","flavor":"microvm","kernelSource":"train","init":"init","modules":[]}""");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path monitor = dir.resolve("fake-qemu");
        Files.writeString(monitor, "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(monitor, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder toml = new StringBuilder()
                .append("[runtime]\naccel = \"tcg\"\nkit = \"")
                .append(kit)
                .append("\"\n[monitors.qemu]\npath = \"")
                .append(monitor)
                .append("\"\n[timestamps]\nenabled = true\ndestination = \"")
                .append(dir.resolve("timestamps.log"))
                .append("\"\n[sandbox]\nids_dir = \"")
                .append(dir.resolve("ids"))
                .append("\"\nread_write = [\"")
                .append(out)
                .append("\"]\n");
        home.map(h -> h.resolve("libexec/jurunc-sandbox"))
                .filter(Files::isExecutable)
                .ifPresent(h -> toml.append("helper = \"").append(h).append("\"\n"));
        Path config = dir.resolve("config.toml");
        Files.writeString(config, toml);
        return config;
    }

    /**
     * The runtime library's operations on the training's own context, as the daemon's in-process backend runs
     * them for a microVM (whose context comes from the host's config instead).
     */
    static final class TrainingBackend implements ContainerBackend {
        private static final Duration WAITER_READY = Duration.ofSeconds(5);
        private final RuntimeContext ctx;

        TrainingBackend(RuntimeContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public String name() {
            return "jurunc";
        }

        @Override
        public Created create(CreateSpec spec) throws BackendException {
            try {
                CreateOperation.Created c = new CreateOperation(ctx)
                        .run(new CreateRequest(
                                spec.id(),
                                Bundle.load(spec.bundle()),
                                Optional.of(spec.pidFile()),
                                spec.consoleSocket(),
                                new Stdio.Paths(spec.stdin(), spec.stdout(), spec.stderr())));
                return new Created(Math.toIntExact(c.record().pid()), c.process());
            } catch (JuruncException e) {
                throw failed("create", e);
            }
        }

        @Override
        public void start(String id) throws BackendException {
            long deadline = System.nanoTime() + WAITER_READY.toNanos();
            while (true) {
                try {
                    new StartOperation(ctx).run(id);
                    return;
                } catch (ContainerStateException e) {
                    if (!e.waiterGone() || System.nanoTime() > deadline) {
                        throw failed("start", e);
                    }
                    sleep();
                } catch (JuruncException e) {
                    throw failed("start", e);
                }
            }
        }

        @Override
        public void kill(String id, int signal, boolean all) throws BackendException {
            try {
                new KillOperation(ctx).run(id, signal, all);
            } catch (JuruncException e) {
                throw failed("kill", e);
            }
        }

        @Override
        public void delete(String id, boolean force) throws BackendException {
            try {
                new DeleteOperation(ctx).run(id, force);
            } catch (JuruncException e) {
                throw failed("delete", e);
            }
        }

        @Override
        public List<Integer> pids(String id) throws BackendException {
            try {
                return new StateQuery(ctx)
                        .pids(id).stream().map(Math::toIntExact).toList();
            } catch (JuruncException e) {
                throw failed("ps", e);
            }
        }

        @Override
        public void update(String id, byte[] resourcesJson) throws BackendException {
            try {
                new UpdateOperation(ctx).run(id, ResourceUpdate.fromJson(resourcesJson));
            } catch (JuruncException e) {
                throw failed("update", e);
            }
        }

        private static void sleep() throws BackendException {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException(BackendException.Kind.FAILED, "interrupted");
            }
        }

        private static BackendException failed(String op, JuruncException e) {
            return new BackendException(BackendException.Kind.FAILED, op + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
