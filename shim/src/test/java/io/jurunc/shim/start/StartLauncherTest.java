package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.shim.GccBuild;
import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.recovery.HolderDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native {@code start} front ({@code src/main/c/shim-launcher.c}), compiled with gcc: it answers from a
 * serving node daemon's socket without a JVM, derives the same socket as {@link StartCommand}, and hands
 * everything else to the JVM launcher with the same argv and the same stdin. With no daemon serving it starts
 * the node daemon behind the holder itself (here {@code src/test/c/fake-holder.c}, which records how it was
 * started and listens on the socket), exactly as {@link HolderDaemonLauncher} would.
 */
class StartLauncherTest {
    private static final String ADDRESS = "/run/containerd/containerd.sock";

    @TempDir
    static Path build;

    private static Path launcher;
    private static Path fakeHolder;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compile() throws Exception {
        launcher = GccBuild.compile(
                "shim-launcher.c", build.resolve("containerd-shim-jurunc-v2"), "-O2", "-Wall", "-Werror");
        fakeHolder = build.resolve("fake-holder");
        Process cc = new ProcessBuilder(
                        "gcc",
                        "-O2",
                        "-Wall",
                        "-Werror",
                        "-o",
                        fakeHolder.toString(),
                        Path.of("src/test/c/fake-holder.c").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as(out).isZero();
    }

    @AfterEach
    void stopHolders() throws IOException {
        try (var walk = Files.walk(tmp)) {
            for (Path pid : walk.filter(p -> p.toString().endsWith(".rec.pid")).toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
                        .filter(h -> h.info().command().orElse("").startsWith(tmp.toString())) // a holder of this test
                        .ifPresent(h -> {
                            h.destroyForcibly();
                            h.onExit().join();
                        });
            }
        }
    }

    private record Run(int exit, String stdout) {}

    /** The fallback "JVM": records its argv and stdin next to itself. */
    private Path fakeJvm() throws IOException {
        Path jvm = tmp.resolve("jvm.sh");
        Files.writeString(
                jvm,
                "#!/bin/sh\necho \"$@\" > \"" + tmp.resolve("jvm.args") + "\"\ncat > \"" + tmp.resolve("jvm.stdin")
                        + "\"\necho from-jvm\n");
        jvm.toFile().setExecutable(true);
        return jvm;
    }

    private Run run(Path cwd, byte[] stdin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove(GroupingId.SCOPE_ENV);
        pb.environment().put(StartCommand.SOCKET_ROOT_ENV, tmp.resolve("s").toString());
        pb.environment().put("JURUNC_SHIM_JVM", fakeJvm().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /**
     * The JVM launcher script as make-dist.sh writes it, reduced to what the native start uses: with
     * JURUNC_LAUNCHER_PRINT set it prints its JVM command line ({@link #printed()}) NUL-separated, else it
     * records being run as {@link #fakeJvm()} does.
     */
    private Path printingJvm() throws IOException {
        Path jvm = tmp.resolve("printing-jvm.sh");
        String printed = printed().stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        Files.writeString(
                jvm,
                "#!/bin/sh\nif [ -n \"$JURUNC_LAUNCHER_PRINT\" ]; then printf '%s\\0' " + printed + "; exit 0; fi\n"
                        + "echo \"$@\" > \"" + tmp.resolve("jvm.args") + "\"\ncat > /dev/null\necho from-jvm\n");
        jvm.toFile().setExecutable(true);
        return jvm;
    }

    /** The launcher's JVM command line: java through a link, options (two the daemon replaces), home, class path. */
    private List<String> printed() throws IOException {
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path real = jdk.resolve("java-real");
        if (!Files.exists(real)) {
            Files.copy(fakeHolder, real); // any executable: what matters is that it is one (ELF), not a script
            Files.createSymbolicLink(jdk.resolve("java"), real.getFileName());
        }
        return List.of(
                jdk.resolve("java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                JvmDaemonLauncher.NAME_PROPERTY,
                "-Djurunc.home=/nowhere",
                "-Djurunc.home=" + home(),
                "-cp",
                "/lib/a.jar:/lib/b.jar",
                "io.jurunc.shim.ShimMain");
    }

    /** The distribution the launcher runs from, with the (fake) holder in libexec. */
    private Path home() throws IOException {
        Path home = tmp.resolve("home");
        Path holder = home.resolve("libexec").resolve(HolderDaemonLauncher.BINARY);
        if (!Files.exists(holder)) {
            Files.createDirectories(holder.getParent());
            Files.copy(fakeHolder, holder);
        }
        return home;
    }

    private Map<String, String> coldEnv(Map<String, String> more) throws IOException {
        Map<String, String> env =
                new HashMap<>(Map.of("JURUNC_SHIM_JVM", printingJvm().toString()));
        env.putAll(more);
        return env;
    }

    /** What JvmDaemonLauncher + HolderDaemonLauncher write to cmdline for a start JVM run from {@link #printed()}. */
    private List<String> expectedCmdline(List<String> startArgs, Path socket) throws Exception {
        List<String> all = new ArrayList<>(printed().subList(1, printed().size()));
        all.addAll(startArgs);
        List<String> cmd = new ArrayList<>(JvmDaemonLauncher.fromCommandLine(
                        Path.of(printed().getFirst()).toRealPath().toString(), all, startArgs)
                .command());
        cmd.addAll(ShimFlags.parse(startArgs).daemonArgs(socket.toString(), GroupingId.NODE_GROUP));
        return cmd;
    }

    private static byte[] nulSeparated(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String a : args) {
            out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static List<String> split(byte[] nulSeparated) {
        return List.of(new String(nulSeparated, StandardCharsets.UTF_8).split("\0"));
    }

    private static Path record(Path socket) {
        return Path.of(HolderDir.forSocket(socket).dir() + ".rec");
    }

    private static byte[] awaitRecord(Path socket) throws Exception {
        Path rec = record(socket);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(rec) || Files.size(rec) == 0) {
            assertThat(System.nanoTime()).as("holder started").isLessThan(deadline);
            Thread.sleep(5);
        }
        return Files.readAllBytes(rec);
    }

    /** The flags containerd passes for container c1 in {@code namespace}, then {@code rest}. */
    private static String[] c1(String namespace, String... rest) {
        List<String> args = new ArrayList<>(List.of("-namespace", namespace, "-address", ADDRESS, "-id", "c1"));
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    private ServerSocketChannel serve(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private Path nodeSocket(String namespace) {
        return SocketAddress.derive(tmp.resolve("s"), ADDRESS, namespace, GroupingId.NODE_GROUP)
                .path();
    }

    private Path bundle() throws IOException {
        return Files.createDirectories(tmp.resolve("bundle"));
    }

    @Test
    void aServingNodeDaemonIsAnsweredWithoutTheJvm() throws Exception {
        Path socket = nodeSocket("k8s.io");
        Path bundle = bundle();
        try (ServerSocketChannel ignored = serve(socket)) {
            Run r = run(
                    bundle,
                    new byte[0],
                    Map.of(),
                    "-namespace",
                    "k8s.io",
                    "-address",
                    ADDRESS,
                    "-publish-binary",
                    "/usr/bin/containerd",
                    "-id",
                    "c1",
                    "-debug",
                    "start");
            assertThat(r.exit()).isZero();
            assertThat(r.stdout()).isEqualTo("unix://" + socket);
            assertThat(Files.readString(bundle.resolve("address"))).isEqualTo("unix://" + socket);
            assertThat(tmp.resolve("jvm.args")).doesNotExist();
            assertThat(StartCommand.lockFile(socket)).exists();
        }
    }

    @Test
    void withoutADaemonTheJvmStartsOneWithTheSameArguments() throws Exception {
        Run r = run(bundle(), new byte[0], Map.of(), c1("default", "start"));
        assertThat(r.stdout()).isEqualTo("from-jvm\n");
        assertThat(Files.readString(tmp.resolve("jvm.args")).strip())
                .isEqualTo("-namespace default -address " + ADDRESS + " -id c1 start");
        assertThat(bundle().resolve("address")).doesNotExist();
    }

    @Test
    void stdinIsReplayedToTheJvm() throws Exception {
        byte[] options = {0x0a, 0x03, 'a', 'b', 'c', 0x00, (byte) 0xff};
        try (ServerSocketChannel ignored = serve(nodeSocket("default"))) {
            Run r = run(bundle(), options, Map.of(), c1("default", "start"));
            assertThat(r.stdout()).isEqualTo("from-jvm\n");
            assertThat(Files.readAllBytes(tmp.resolve("jvm.stdin"))).isEqualTo(options);
        }
    }

    @Test
    void podScopeDeleteAndInfoGoToTheJvm() throws Exception {
        try (ServerSocketChannel ignored = serve(nodeSocket("default"))) {
            assertThat(run(bundle(), new byte[0], Map.of(GroupingId.SCOPE_ENV, "pod"), c1("default", "start"))
                            .stdout())
                    .isEqualTo("from-jvm\n");
            assertThat(run(bundle(), new byte[0], Map.of(), c1("default", "-bundle", "/x", "delete"))
                            .stdout())
                    .isEqualTo("from-jvm\n");
            assertThat(Files.readString(tmp.resolve("jvm.args"))).contains("delete");
            assertThat(run(bundle(), new byte[0], Map.of(), "-info").stdout()).isEqualTo("from-jvm\n");
        }
    }

    @Test
    void aStaleSocketFileIsLeftToTheJvm() throws Exception {
        Path socket = nodeSocket("default");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "stale");
        Run r = run(bundle(), new byte[0], Map.of(), c1("default", "start"));
        assertThat(r.stdout()).isEqualTo("from-jvm\n");
    }

    @Test
    void theFirstContainerStartsTheDaemonBehindTheHolderWithoutTheJvm() throws Exception {
        Path socket = nodeSocket("k8s.io");
        Path bundle = bundle();
        List<String> start = List.of(
                "-namespace",
                "k8s.io",
                "-address",
                ADDRESS,
                "-publish-binary",
                "/usr/bin/containerd",
                "-id",
                "c1",
                "-debug",
                "start");
        Run r = run(bundle, new byte[0], coldEnv(Map.of()), start.toArray(String[]::new));

        assertThat(r.exit()).isZero();
        assertThat(r.stdout()).isEqualTo("unix://" + socket);
        assertThat(Files.readString(bundle.resolve("address"))).isEqualTo("unix://" + socket);
        assertThat(tmp.resolve("jvm.args")).as("no JVM ran").doesNotExist();
        HolderDir dir = HolderDir.forSocket(socket);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.dir())))
                .isEqualTo("rwx------");
        List<String> daemonArgs = ShimFlags.parse(start).daemonArgs(socket.toString(), GroupingId.NODE_GROUP);
        assertThat(split(Files.readAllBytes(dir.cmdline())))
                .containsSubsequence(Path.of(printed().getFirst()).toRealPath().toString(), "-Xms4m", "-debug")
                .containsOnlyOnce("-Xmx256m", JvmDaemonLauncher.NAME_PROPERTY);
        assertThat(Files.readAllBytes(dir.cmdline())).isEqualTo(nulSeparated(expectedCmdline(start, socket)));
        List<String> holderArgv = new ArrayList<>(List.of(
                home().resolve("libexec/jurunc-shim-holder").toString(),
                socket.toString(),
                dir.dir().toString(),
                "--",
                "containerd-shim-jurunc-v2"));
        holderArgv.addAll(daemonArgs);
        Path rec = record(socket);
        assertThat(split(awaitRecord(socket))).isEqualTo(holderArgv);
        assertThat(Files.readString(Path.of(rec + ".cwd")))
                .isEqualTo(socket.getParent().toString());
        assertThat(Files.readString(Path.of(rec + ".sid"))).isEqualTo("1");
        int own = Integer.parseInt(
                Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        String pid = Files.readString(Path.of(rec + ".pid"));
        assertThat(Files.readString(Path.of("/proc", pid, "oom_score_adj")).strip())
                .isEqualTo(Integer.toString(Math.min(own + 1, 1000)));
    }

    @Test
    void theJvmStartWritesTheSameHolderDirAndCommandLine() throws Exception {
        Path socket = nodeSocket("default");
        List<String> start = List.of(c1("default", "start"));
        assertThat(run(bundle(), new byte[0], coldEnv(Map.of()), c1("default", "start"))
                        .stdout())
                .isEqualTo("unix://" + socket);
        HolderDir dir = HolderDir.forSocket(socket);
        byte[] nativeCmdline = Files.readAllBytes(dir.cmdline());
        byte[] nativeArgv = awaitRecord(socket);
        String nativeCwd = Files.readString(Path.of(record(socket) + ".cwd"));
        List<String> nativeListing = listing(dir.dir());
        stopHolders();
        Files.delete(record(socket));

        Path holder = home().resolve("libexec/jurunc-shim-holder");
        List<String> all = new ArrayList<>(printed().subList(1, printed().size()));
        all.addAll(start);
        Process p = new HolderDaemonLauncher(
                        holder,
                        JvmDaemonLauncher.fromCommandLine(
                                Path.of(printed().getFirst()).toRealPath().toString(), all, start))
                .launch(
                        ShimFlags.parse(start).daemonArgs(socket.toString(), GroupingId.NODE_GROUP),
                        socket.getParent());
        try {
            assertThat(awaitRecord(socket)).isEqualTo(nativeArgv);
            assertThat(Files.readAllBytes(dir.cmdline())).isEqualTo(nativeCmdline);
            assertThat(Files.readString(Path.of(record(socket) + ".cwd"))).isEqualTo(nativeCwd);
            assertThat(listing(dir.dir())).isEqualTo(nativeListing);
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : walk.sorted().toList()) {
                out.add(dir.relativize(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
            return out;
        }
    }

    @Test
    void anEarlierHoldersStateIsRemoved() throws Exception {
        Path dir = HolderDir.forSocket(nodeSocket("default")).dir();
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/old"), "x");
        assertThat(run(bundle(), new byte[0], coldEnv(Map.of()), c1("default", "start"))
                        .exit())
                .isZero();
        assertThat(listing(dir)).containsExactly(" rwx------", "cmdline rw-r--r--");
    }

    @Test
    void withoutAHolderOrWhenItFailsTheJvmStartsTheDaemon() throws Exception {
        Path socket = nodeSocket("default");
        Map<String, Map<String, String>> cases = Map.of(
                "holder none", Map.of(HolderDaemonLauncher.HOLDER_ENV, "none"),
                "holder missing",
                        Map.of(
                                HolderDaemonLauncher.HOLDER_ENV,
                                tmp.resolve("missing").toString()),
                "pod scope", Map.of(GroupingId.SCOPE_ENV, "pod"),
                "holder exits", Map.of("FAKE_HOLDER_EXIT", "1"));
        for (var c : cases.entrySet()) {
            Files.deleteIfExists(tmp.resolve("jvm.args"));
            Files.deleteIfExists(record(socket));
            Run r = run(bundle(), new byte[0], coldEnv(c.getValue()), c1("default", "start"));
            assertThat(r.stdout()).as(c.getKey()).isEqualTo("from-jvm\n");
            assertThat(Files.readString(tmp.resolve("jvm.args")).strip())
                    .as(c.getKey())
                    .isEqualTo("-namespace default -address " + ADDRESS + " -id c1 start");
            assertThat(record(socket))
                    .as(c.getKey())
                    .matches(p -> c.getKey().equals("holder exits") == Files.exists(p), "started only when present");
        }
        // a java wrapper script (JURUNC_JAVA): the JVM path's daemon runs the binary it ends in, unknown here
        printed();
        Path java = tmp.resolve("jdk/bin/java-real");
        Files.delete(java);
        Files.writeString(java, "#!/bin/sh\nexec java \"$@\"\n");
        java.toFile().setExecutable(true);
        Files.deleteIfExists(tmp.resolve("jvm.args"));
        Files.deleteIfExists(record(socket));
        assertThat(run(bundle(), new byte[0], coldEnv(Map.of()), c1("default", "start"))
                        .stdout())
                .isEqualTo("from-jvm\n");
        assertThat(record(socket)).doesNotExist();

        Files.deleteIfExists(tmp.resolve("jvm.args"));
        Run stdin = run(bundle(), new byte[] {1}, coldEnv(Map.of()), c1("default", "start"));
        assertThat(stdin.stdout()).isEqualTo("from-jvm\n");
        assertThat(record(socket)).doesNotExist();
    }
}
