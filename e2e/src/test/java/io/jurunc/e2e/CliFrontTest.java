package io.jurunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.E2E;
import io.jurunc.e2e.support.Jurunc;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native CLI front ({@code bin/jurunc}, cli/src/main/c/cli-front.c) as built into the dist: it forwards
 * create/start/state/kill/delete to the node daemon's socket and execs {@code bin/jurunc.jvm} for everything
 * else. The daemon here is a fake speaking the protocol with scripted answers; a copy of the front sits next
 * to a {@code jurunc.jvm} script that prints its argv, so that a fall-back to the JVM launcher is visible.
 */
@E2E
class CliFrontTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int FRAME_LIMIT = 4 << 20;

    @TempDir
    Path dir;

    private Path front;
    private Path socket;
    private FakeDaemon daemon;

    @BeforeEach
    void copyTheFrontNextToAFakeJvmLauncher() throws IOException {
        assertThat(Jurunc.cli())
                .as("the built dist (mvn -q install -DskipTests)")
                .isExecutable();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        front = Files.copy(Jurunc.cli(), bin.resolve("jurunc"));
        Path jvm = bin.resolve("jurunc.jvm");
        Files.writeString(jvm, "#!/bin/sh\necho \"jvm $#\"\nfor a; do echo \"arg $a\"; done\n");
        Files.setPosixFilePermissions(jvm, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = dir.resolve("cli.sock");
        daemon = new FakeDaemon(socket);
    }

    @AfterEach
    void closeTheDaemon() throws IOException {
        daemon.close();
    }

    // ---- the dist as built

    @Test
    void theDistsJuruncIsTheNativeFrontWithTheJvmLauncherBesideIt() throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(Jurunc.cli()), 4);
        assertThat(head).as("bin/jurunc is an ELF binary").isEqualTo(new byte[] {0x7f, 'E', 'L', 'F'});
        Path jvm = Jurunc.binDir().resolve("jurunc.jvm");
        assertThat(Files.readString(jvm)).startsWith("#!/bin/sh").contains("io.jurunc.cli.Main");

        // no daemon listening: the JVM answers (only the JVM prints its Java version)
        Map<String, String> none =
                Map.of("JURUNC_NODE_SOCKET", dir.resolve("none.sock").toString());
        Result version = run(Jurunc.cli(), none, "--version");
        assertThat(version.exit()).as(version.describe()).isZero();
        assertThat(version.stdout())
                .as(version.describe())
                .contains("jurunc version")
                .contains("java: ");

        Result state = run(Jurunc.cli(), none, "--root", dir.resolve("root").toString(), "state", "nope");
        assertThat(state.exit()).as(state.describe()).isEqualTo(1);
        assertThat(state.stderr()).as(state.describe()).contains("container does not exist");

        // as scripts/install.sh installs it: a link on PATH to the dist's bin/jurunc
        Path link = Files.createSymbolicLink(dir.resolve("jurunc-link"), Jurunc.cli());
        Result linked = run(link, Map.of("JURUNC_NODE_SOCKET", "off"), "--version");
        assertThat(linked.exit()).as(linked.describe()).isZero();
        assertThat(linked.stdout()).as(linked.describe()).contains("java: ");
        assertThat(daemon.connectionPending()).isFalse();
    }

    // ---- which calls reach the daemon

    @Test
    void withoutADaemonOrWithOffEveryVerbRunsTheJvmLauncher() throws Exception {
        Result missing =
                run(Map.of("JURUNC_NODE_SOCKET", dir.resolve("none.sock").toString()), "state", "nope");
        assertThat(missing.exit()).as(missing.describe()).isZero();
        assertThat(missing.stdout()).isEqualTo("jvm 2\narg state\narg nope\n");
        assertThat(missing.stderr()).isEmpty();

        Result off = run(Map.of("JURUNC_NODE_SOCKET", "off"), "--root", "/r", "delete", "-f", "x");
        assertThat(off.stdout()).as(off.describe()).isEqualTo("jvm 5\narg --root\narg /r\narg delete\narg -f\narg x\n");

        // a socket nobody accepts on any more (a daemon that died): connect is refused
        daemon.close();
        Result refused = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "kill", "x", "KILL");
        assertThat(refused.stdout()).as(refused.describe()).isEqualTo("jvm 3\narg kill\narg x\narg KILL\n");
    }

    @Test
    void callsOtherThanTheFiveVerbsNeverConnect() throws Exception {
        List<List<String>> calls = List.of(
                List.of("list"),
                List.of("--version"),
                List.of("--help"),
                List.of(),
                List.of("--root", "/r", "exec", "x", "true"),
                List.of("run", "x"),
                List.of("build", "-t", "a", "."),
                List.of("--criu", "/c", "state", "x"),
                List.of("--", "state", "x"),
                List.of("--root", "/r", "pause", "state"));
        for (List<String> call : calls) {
            Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), call.toArray(String[]::new));
            StringBuilder expected = new StringBuilder("jvm " + call.size() + "\n");
            call.forEach(a -> expected.append("arg ").append(a).append('\n'));
            assertThat(r.stdout()).as(r.describe()).isEqualTo(expected.toString());
            assertThat(daemon.connectionPending())
                    .as("%s connected to the daemon", call)
                    .isFalse();
        }
    }

    @Test
    void theRequestCarriesVersionHomeCwdNamespacesArgvAndEnv() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        CompletableFuture<Void> talk = daemon.serve(c -> c.sendStrings('X', "0"));
        List<String> argv = List.of(
                "--root",
                "/r",
                "--log",
                "/l",
                "--log-format=json",
                "-rootless",
                "false",
                "--debug",
                "--systemd-cgroup",
                "create",
                "--bundle",
                "b",
                "--pid-file",
                "p",
                "id1");
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString(), "CLI_FRONT_TEST", "a b=c"), cwd, argv);
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();

        List<String> q = daemon.request();
        assertThat(q.subList(0, 7))
                .containsExactly(
                        "1",
                        dir.toRealPath().toString(),
                        cwd.toRealPath().toString(),
                        ns("mnt"),
                        ns("pid"),
                        ns("user"),
                        Integer.toString(argv.size()));
        assertThat(q.subList(7, 7 + argv.size())).isEqualTo(argv);
        List<String> env = q.subList(7 + argv.size(), q.size());
        assertThat(env).contains("CLI_FRONT_TEST=a b=c", "JURUNC_NODE_SOCKET=" + socket);
        assertThat(withoutShellVariables(env)).containsExactlyInAnyOrderElementsOf(environmentOf(r));
    }

    @Test
    void everyServedVerbConnects() throws Exception {
        for (String verb : List.of("create", "start", "state", "kill", "delete")) {
            CompletableFuture<Void> talk = daemon.serve(c -> c.sendStrings('X', "0"));
            Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "--root", "/r", verb, "x");
            finish(talk);
            assertThat(r.stdout()).as(r.describe()).isEmpty();
            assertThat(daemon.request()).contains(verb);
        }
    }

    // ---- the daemon's answers

    @Test
    void outputIsRelayedInOrderAndTheExitCodeIsTheDaemons() throws Exception {
        byte[] big = new byte[FRAME_LIMIT - 1]; // the largest payload a frame can carry
        for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + i % 26);
        CompletableFuture<Void> talk = daemon.serve(c -> {
            c.send('O', "out1\n".getBytes(StandardCharsets.UTF_8));
            c.send('E', "err1\n".getBytes(StandardCharsets.UTF_8));
            c.send('O', big);
            c.send('E', new byte[0]);
            c.send('O', "\nout2\n".getBytes(StandardCharsets.UTF_8));
            c.sendStrings('X', "3");
        });
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "state", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.stdout()).hasSize(5 + big.length + 6);
        assertThat(r.stdout()).isEqualTo("out1\n" + new String(big, StandardCharsets.US_ASCII) + "\nout2\n");
        assertThat(r.stderr()).isEqualTo("err1\n");
    }

    @Test
    void spawnWithInheritedStdioAnswersThePidOnceTheChildRuns() throws Exception {
        List<String> answers = new CopyOnWriteArrayList<>();
        List<Path> exes = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> talk = daemon.serve(c -> {
            c.sendStrings(
                    'S',
                    "",
                    "",
                    "",
                    "/bin/sh",
                    "-c",
                    "echo child $$; grep -E '^Sig(Blk|Ign)' /proc/self/status;"
                            + " ls /proc/$$/fd; sleep 1; echo done");
            String pid = c.answer();
            answers.add(pid);
            // the front answers after the exec: the child already is /bin/sh
            exes.add(Files.readSymbolicLink(Path.of("/proc", pid, "exe")));
            c.sendStrings('X', "0");
        });
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();
        String out = waitFor(r.stdoutFile(), "done\n");
        assertThat(answers).hasSize(1);
        assertThat(exes).containsExactly(Path.of("/bin/sh").toRealPath());
        // the caller ignores SIGHUP/SIGINT and passes fd 7 (the wrapper in run()); the child has neither
        assertThat(out)
                .isEqualTo("child " + answers.getFirst() + "\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n"
                        + "0\n1\n2\ndone\n");
    }

    @Test
    void spawnWithPathsOpensStdinAndAppendsOrCreatesOutputs() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "from stdin\n");
        Path out = Files.writeString(dir.resolve("out.txt"), "old\n");
        Path err = dir.resolve("err.txt");
        List<String> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> talk = daemon.serve(c -> {
            c.sendStrings(
                    'S',
                    in.toString(),
                    out.toString(),
                    err.toString(),
                    "/bin/sh",
                    "-c",
                    "cat; echo to-err >&2; echo done >&2");
            answers.add(c.answer());
            c.sendStrings('X', "0");
        });
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(answers.getFirst()).matches("[1-9][0-9]*");
        assertThat(waitFor(err, "done\n")).isEqualTo("to-err\ndone\n");
        assertThat(Files.readString(out)).isEqualTo("old\nfrom stdin\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(err)))
                .isEqualTo("rw-r--r--");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void aSpawnThatCannotStartAnswersMinusErrno() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "not a program\n");
        List<String> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> talk = daemon.serve(c -> {
            c.sendStrings('S', "", "", "", dir.resolve("missing").toString());
            answers.add(c.answer());
            c.sendStrings('S', dir.resolve("no-such-stdin").toString(), "", "", "/bin/true");
            answers.add(c.answer());
            c.sendStrings('S', "", "", "", plain.toString());
            answers.add(c.answer());
            c.sendStrings('S', "", dir.resolve("no/such/dir").toString(), "", "/bin/true");
            answers.add(c.answer());
            c.sendStrings('X', "0");
        });
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(answers).containsExactly("-2", "-2", "-13", "-2");
    }

    @Test
    void aHandOverExecsTheProgramWithExactlyTheGivenEnvironment() throws Exception {
        CompletableFuture<Void> talk = daemon.serve(c -> c.sendStrings('H', "3", "/bin/echo", "handed", "over"));
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).isEqualTo("handed over\n");

        talk = daemon.serve(c -> c.sendStrings('H', "1", "/usr/bin/env", "A=1", "JURUNC_DELEGATED=1"));
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.stdout()).as(r.describe()).isEqualTo("A=1\nJURUNC_DELEGATED=1\n");

        // the socket does not survive the exec: the daemon sees the end while the program still runs
        List<Boolean> ended = new CopyOnWriteArrayList<>();
        talk = daemon.serve(c -> {
            c.sendStrings('H', "2", "/bin/sleep", "3");
            ended.add(c.endsWithin(Duration.ofSeconds(2)));
        });
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "start", "x");
        finish(talk);
        assertThat(ended).containsExactly(true);

        talk = daemon.serve(c -> c.sendStrings('H', "1", dir.resolve("missing").toString()));
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr())
                .isEqualTo("jurunc: cannot exec " + dir.resolve("missing") + ": No such file or directory\n");
    }

    @Test
    void fallBackRunsTheJvmLauncherWithTheOriginalArguments() throws Exception {
        List<Boolean> ended = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> talk = daemon.serve(c -> {
            c.sendStrings('F');
            ended.add(c.endsWithin(Duration.ofSeconds(5)));
        });
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "--root", "/r", "state", "x");
        finish(talk);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stdout()).isEqualTo("jvm 4\narg --root\narg /r\narg state\narg x\n");
        assertThat(ended).containsExactly(true);
    }

    @Test
    void aConnectionEndingBeforeTheOutcomeFailsWithoutRetrying() throws Exception {
        CompletableFuture<Void> talk = daemon.serve(c -> c.send('O', "partial\n".getBytes(StandardCharsets.UTF_8)));
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).as("no JVM ran after the daemon had begun").isEqualTo("partial\n");
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon closed the connection\n");
        assertThat(daemon.connectionPending()).isFalse();

        // a frame header cut short
        talk = daemon.serve(c -> c.raw(new byte[] {5, 0}));
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "delete", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon closed the connection\n");

        // a spawn whose answer the daemon does not wait for
        talk = daemon.serve(c -> c.sendStrings('S', "", "", "", "/bin/true"));
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon closed the connection\n");
    }

    @Test
    void aFrameOverFourMebibytesOrMalformedIsRejected() throws Exception {
        CompletableFuture<Void> talk = daemon.serve(c -> c.raw(header(FRAME_LIMIT + 1, 'O')));
        Result r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "state", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon sent a malformed frame\n");

        for (String exit : List.of("256", "-1", "x", "")) {
            talk = daemon.serve(c -> c.sendStrings('X', exit));
            r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "state", "x");
            finish(talk);
            assertThat(r.exit()).as("X %s", exit).isEqualTo(1);
            assertThat(r.stderr()).isEqualTo("jurunc: the node daemon sent a malformed exit\n");
        }
        talk = daemon.serve(c -> c.send('X', "7".getBytes(StandardCharsets.UTF_8))); // not NUL-terminated
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "state", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon sent a malformed message\n");

        talk = daemon.serve(c -> c.sendStrings('S', "", "", "", "relative/path"));
        r = run(Map.of("JURUNC_NODE_SOCKET", socket.toString()), "create", "x");
        finish(talk);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("jurunc: the node daemon sent a malformed spawn\n");
    }

    // ---- helpers

    private record Result(Path stdoutFile, int exit, String stdout, String stderr, List<String> argv) {
        String describe() {
            return "$ " + String.join(" ", argv) + "\nexit " + exit + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        return run(front, env, dir, List.of(args));
    }

    private Result run(Path program, Map<String, String> env, String... args) throws Exception {
        return run(program, env, dir, List.of(args));
    }

    private Result run(Map<String, String> env, Path cwd, List<String> args) throws Exception {
        return run(front, env, cwd, args);
    }

    /**
     * Runs {@code program args} as a caller with SIGHUP and SIGINT ignored and an extra fd 7 would: what a
     * spawned child must not inherit. Its environment is printed to a file too (see {@link #environmentOf}).
     */
    private Result run(Path program, Map<String, String> env, Path cwd, List<String> args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> argv = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "env -0 > \"$ENV_FILE\"; trap '' HUP INT; exec 7</dev/null; exec \"$0\" \"$@\"",
                program.toString()));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.environment().put("ENV_FILE", out + ".env");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new TimeoutException("jurunc did not end within " + LIMIT + ": " + argv);
        }
        return new Result(out, p.exitValue(), Files.readString(out), Files.readString(err), argv);
    }

    /** The environment the wrapper shell gave the front (as `env` saw it), less what a shell sets per command. */
    private static List<String> environmentOf(Result r) throws IOException {
        String all = Files.readString(Path.of(r.stdoutFile() + ".env"));
        return withoutShellVariables(
                Arrays.stream(all.split("\0")).filter(e -> !e.isEmpty()).toList());
    }

    private static List<String> withoutShellVariables(List<String> env) {
        return env.stream()
                .filter(e -> !e.startsWith("_=") && !e.startsWith("SHLVL=") && !e.startsWith("OLDPWD="))
                .toList();
    }

    private static String ns(String name) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", name)).toString();
    }

    private static String waitFor(Path file, String end) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file) : "";
            if (text.endsWith(end)) return text;
            Thread.sleep(20);
        }
        throw new TimeoutException(file + " did not end with " + end.strip());
    }

    private static void finish(CompletableFuture<Void> talk) throws Exception {
        talk.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static byte[] header(int length, char type) {
        return ByteBuffer.allocate(5)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(length)
                .put((byte) type)
                .array();
    }

    /** One scripted conversation, after the daemon has read the request. */
    @FunctionalInterface
    private interface Script {
        void talk(Conversation c) throws Exception;
    }

    private record Conversation(SocketChannel channel) {
        void send(char type, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(5 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(payload.length + 1).put((byte) type).put(payload).flip();
            while (b.hasRemaining()) channel.write(b);
        }

        void sendStrings(char type, String... strings) throws IOException {
            StringBuilder s = new StringBuilder();
            for (String x : strings) s.append(x).append('\0');
            send(type, s.toString().getBytes(StandardCharsets.UTF_8));
        }

        void raw(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) channel.write(b);
        }

        /** The next frame: {type, payload}. */
        Object[] read() throws IOException {
            ByteBuffer head = fill(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN));
            int length = head.flip().getInt();
            assertThat(length).isBetween(1, FRAME_LIMIT);
            ByteBuffer body = fill(ByteBuffer.allocate(length));
            return new Object[] {(char) body.get(0), Arrays.copyOfRange(body.array(), 1, length)};
        }

        /** The front's answer to a spawn: its one string. */
        String answer() throws IOException {
            Object[] frame = read();
            assertThat(frame[0]).isEqualTo('P');
            List<String> s = split((byte[]) frame[1]);
            assertThat(s).hasSize(1);
            return s.getFirst();
        }

        /** Whether the front's end of the connection closes within the limit (nothing more comes). */
        boolean endsWithin(Duration limit) throws Exception {
            CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
                try {
                    return channel.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                    return -2;
                }
            });
            try {
                return r.get(limit.toMillis(), TimeUnit.MILLISECONDS) == -1;
            } catch (TimeoutException e) {
                return false;
            }
        }

        private ByteBuffer fill(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) throw new EOFException("the front closed the connection");
            }
            return b;
        }
    }

    private static List<String> split(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        assertThat(s).endsWith("\0");
        return List.of(s.substring(0, s.length() - 1).split("\0", -1));
    }

    /** A unix-socket server that serves one connection per {@link #serve} with a script. */
    private static final class FakeDaemon implements AutoCloseable {
        private final ServerSocketChannel server;
        private volatile List<String> request = List.of();

        FakeDaemon(Path socket) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        }

        CompletableFuture<Void> serve(Script script) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (SocketChannel c = server.accept()) {
                    Conversation conversation = new Conversation(c);
                    Object[] q = conversation.read();
                    assertThat(q[0]).isEqualTo('Q');
                    request = split((byte[]) q[1]);
                    script.talk(conversation);
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            return done;
        }

        List<String> request() {
            return request;
        }

        /** Whether a connection waits to be accepted (a front connected). */
        boolean connectionPending() throws IOException {
            if (!server.isOpen()) return false;
            server.configureBlocking(false);
            try (SocketChannel c = server.accept()) {
                return c != null;
            } finally {
                server.configureBlocking(true);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
