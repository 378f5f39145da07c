package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.runtime.state.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host relay (runtime/src/main/c/exec-relay.c) against the guest init's exec server
 * (guest/src/main/c/exec-server.h, served on a unix socket by exec-server-test.c instead of a
 * virtio-serial port), both built with gcc as make-dist.sh and build-kit.sh build them, with
 * requests encoded by {@link ExecRequest}: the whole exec path but QEMU.
 */
class ExecRelayTest {
    @TempDir
    Path tmp;

    private Path relay;
    private Path socket;
    /** A link to the pty that stands for the guest's console (the one --console-size resizes). */
    private Path console;

    private Process server;
    private final long uid = Long.parseLong(id("-u"));
    private final long gid = Long.parseLong(id("-g"));

    @BeforeEach
    void buildAndServe() throws Exception {
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        relay = gcc(repo.resolve("runtime/src/main/c/exec-relay.c"), "jurunc-exec-relay");
        Path serverBin = gcc(repo.resolve("guest/src/main/c/exec-server-test.c"), "exec-server-test");
        socket = tmp.resolve("exec0");
        console = tmp.resolve("console");
        server = new ProcessBuilder(serverBin.toString(), socket.toString(), console.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("server.log").toFile())
                .start();
        for (int i = 0; i < 500 && !Files.exists(socket); i++) Thread.sleep(10);
        assertThat(socket).exists();
    }

    @AfterEach
    void stop() {
        server.destroyForcibly();
    }

    @Test
    void stdoutStderrExitCodeEnvAndCwdComeBack() throws Exception {
        Result r = run(
                request(List.of("sh", "-c", "echo \"$FOO\"; pwd; echo oops >&2; exit 3"), "/tmp", false),
                List.of(),
                "");
        assertThat(r.code).isEqualTo(3);
        assertThat(r.out).isEqualTo("bar\n/tmp\n");
        assertThat(r.err).isEqualTo("oops\n");
    }

    @Test
    void aSocketPathTooLongForSunPathIsReachedThroughItsDirectory() throws Exception {
        // as a state directory under Docker's runtime root: the path is longer than a socket's name can be
        Path deep = Files.createDirectories(tmp.resolve("d".repeat(60)).resolve("e".repeat(60)));
        socket = Files.createSymbolicLink(deep.resolve("qmp"), tmp).resolve("exec0");
        assertThat(socket.toString().length()).isGreaterThan(107);
        Result r = run(request(List.of("sh", "-c", "echo far; exit 4"), "/tmp", false), List.of(), "");
        assertThat(r.code).as(r.err).isEqualTo(4);
        assertThat(r.out).isEqualTo("far\n");
    }

    @Test
    void stdinIsRelayedAndItsEndClosesTheCommandsStdin() throws Exception {
        String big = "x".repeat(200_000) + "\n";
        Result r = run(request(List.of("sh", "-c", "cat; echo done"), "/", false), List.of(), "hello\n" + big);
        assertThat(r.code).isZero();
        assertThat(r.out).isEqualTo("hello\n" + big + "done\n");
    }

    @Test
    void aMissingCommandExits127WithTheReason() throws Exception {
        Result r = run(request(List.of("no-such-command"), "/", false), List.of(), "");
        assertThat(r.code).isEqualTo(127);
        assertThat(r.err).contains("exec no-such-command: No such file or directory");
        Result cwd = run(request(List.of("true"), "/no/such/dir", false), List.of(), "");
        assertThat(cwd.code).isEqualTo(126);
        assertThat(cwd.err).contains("chdir /no/such/dir");
    }

    @Test
    void aTerminalInTheGuestWhenAsked() throws Exception {
        Result r = run(
                request(List.of("sh", "-c", "test -t 0 && test -t 1 && echo on-a-tty"), "/", true),
                List.of("--tty"),
                "");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("on-a-tty");
    }

    @Test
    void aSignalToTheRelayGoesToTheCommand() throws Exception {
        Process p = start(
                request(
                        List.of(
                                "sh",
                                "-c",
                                "trap 'echo got-term; exit 42' TERM; echo ready; " + "while :; do sleep 0.05; done"),
                        "/",
                        false),
                List.of());
        p.getOutputStream().close();
        waitForLine(p, "ready");
        p.toHandle().destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(42);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("got-term");
    }

    @Test
    void aRelayThatDiesHasTheCommandKilled() throws Exception {
        Path pidFile = tmp.resolve("guest.pid");
        Process p = start(
                request(List.of("sh", "-c", "echo $$ > " + pidFile + "; echo ready; exec sleep 60"), "/", false),
                List.of());
        waitForLine(p, "ready");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        p.destroyForcibly(); // SIGKILL: nothing can be forwarded, the server sees the host go
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void detachedTheRelayReturnsOnceStartedWithItsPidInThePidFileAndKeepsTheStdio() throws Exception {
        Path pidFile = tmp.resolve("relay.pid");
        Path out = tmp.resolve("out");
        Path req = request(List.of("sh", "-c", "sleep 0.3; echo later"), "/", false);
        List<String> argv = new ArrayList<>(List.of(relay.toString(), "--detach", "--pid-file", pidFile.toString()));
        argv.addAll(List.of(
                req.toString(), socket.toString(), tmp.resolve("exec0.lock").toString()));
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String pid = Files.readString(pidFile);
        assertThat(pid).matches("[1-9][0-9]*"); // no newline: containerd's shims parse it as is
        assertThat(req).doesNotExist();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.readString(out).contains("later") && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(Files.readString(out)).isEqualTo("later\n");
    }

    @Test
    void detachedACommandThatCannotStartFailsTheRelayWithTheReason() throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                relay.toString(), "--detach", "--pid-file", tmp.resolve("p").toString()));
        argv.addAll(List.of(
                request(List.of("no-such-command"), "/", false).toString(),
                socket.toString(),
                tmp.resolve("exec0.lock").toString()));
        Process p = new ProcessBuilder(argv).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("exec no-such-command");
        assertThat(tmp.resolve("p")).doesNotExist();
    }

    /**
     * A detached relay's stderr is the exec's (a FIFO the CRI reads only after Start): why it failed also
     * goes to --log, one JSON line as runc's, with a kind its caller switches on.
     */
    @Test
    void whyAnExecFailedIsLoggedAsJsonWithItsKind() throws Exception {
        Path log = tmp.resolve("exec.log");
        // a lock each: a detached child that failed may release its lock a moment after its parent returned
        assertThat(detachedWithLog(request(List.of("no-such-command"), "/", false), socket, "l1", log))
                .isEqualTo(1);
        assertThat(detachedWithLog(request(List.of("true"), "/no/such/dir", false), socket, "l2", log))
                .isEqualTo(1);
        Path gone = tmp.resolve("gone");
        assertThat(detachedWithLog(request(List.of("true"), "/", false), gone, "l3", log))
                .isEqualTo(1);

        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log))
            lines.add(io.jurunc.oci.Json.mapper().readTree(line));
        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(n -> {
            assertThat(n.path("level").asText()).isEqualTo("error");
            assertThat(n.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });
        assertThat(lines.get(0).path("kind").asText()).isEqualTo("command-not-found");
        assertThat(lines.get(0).path("msg").asText())
                .isEqualTo("exec failed: exec no-such-command: No such file or directory");
        assertThat(lines.get(1).path("kind").asText()).isEqualTo("command-not-runnable");
        assertThat(lines.get(1).path("msg").asText()).contains("chdir /no/such/dir");
        assertThat(lines.get(2).path("kind").asText()).isEqualTo("unreachable");
        assertThat(lines.get(2).path("msg").asText()).contains(gone.toString());
        for (com.fasterxml.jackson.databind.JsonNode n : lines) {
            assertThat(ExecOperation.FAILURE_KINDS).contains(n.path("kind").asText());
        }
    }

    @Test
    void aPortInUseIsSkippedAndAllInUseIsAClearBusyError() throws Exception {
        Process first = start(request(List.of("sh", "-c", "echo ready; sleep 5"), "/", false), List.of());
        waitForLine(first, "ready");
        Path log = tmp.resolve("busy.log");
        Result busy = run(request(List.of("true"), "/", false), List.of("--log", log.toString()), "");
        assertThat(busy.code).isEqualTo(1);
        assertThat(busy.err).contains("busy");
        assertThat(Files.readString(log)).as("the text form, as logrus'").contains("level=error", "kind=busy");
        first.destroyForcibly();
    }

    /**
     * {@code --console-size ROWS COLS}: a C frame (rows and columns, 2 bytes each, big-endian) on a free
     * port; the server sets them on its console and answers X 0, and the relay exits 0.
     */
    @Test
    void theConsoleSizeReachesTheGuestsConsole() throws Exception {
        assertThat(sttySize()).isEqualTo("0 0");
        assertThat(consoleSize("30", "100").code).isZero();
        assertThat(sttySize()).isEqualTo("30 100");
        // more than a byte each way, and the channel is free again for an exec
        assertThat(consoleSize("300", "1000").code).isZero();
        assertThat(sttySize()).isEqualTo("300 1000");
        Result after = run(request(List.of("sh", "-c", "echo still"), "/", false), List.of(), "");
        assertThat(after.code).isZero();
        assertThat(after.out).isEqualTo("still\n");
    }

    @Test
    void aConsoleSizeWhileEveryPortRunsAnExecExits3AsBusyAndChangesNothing() throws Exception {
        Process first = start(request(List.of("sh", "-c", "echo ready; sleep 5"), "/", false), List.of());
        waitForLine(first, "ready");
        Result busy = consoleSize("30", "100");
        assertThat(busy.code).isEqualTo(ConsoleResizeOperation.BUSY_STATUS);
        assertThat(busy.err).contains("busy");
        assertThat(sttySize()).isEqualTo("0 0");
        first.destroyForcibly();
    }

    @Test
    void aConsoleSizeWithNoGuestOrABadSizeFails() throws Exception {
        socket = tmp.resolve("gone");
        Result gone = consoleSize("30", "100");
        assertThat(gone.code).isEqualTo(1);
        assertThat(gone.err).contains("cannot reach the guest's exec channel");
        assertThat(consoleSize("0", "100").code).isEqualTo(2);
        assertThat(consoleSize("30", "65536").code).isEqualTo(2);
    }

    private Result consoleSize(String rows, String cols) throws Exception {
        Process p = new ProcessBuilder(
                        relay.toString(),
                        "--console-size",
                        rows,
                        cols,
                        socket.toString(),
                        tmp.resolve("exec0.lock").toString())
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    private String sttySize() throws Exception {
        Process p = new ProcessBuilder("stty", "-F", console.toString(), "size")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private record Result(int code, String out, String err) {}

    private Path request(List<String> args, String cwd, boolean tty) throws Exception {
        ExecRequest r = ExecRequest.of(args, List.of("PATH=/usr/bin:/bin", "FOO=bar"), cwd, uid, gid, List.of(), tty);
        Path file = Files.createTempFile(tmp, "req", ".req");
        PrivateFiles.writeAtomically(file, r.encode(), PrivateFiles.FILE);
        return file;
    }

    private Process start(Path req, List<String> flags) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(relay.toString());
        argv.addAll(flags);
        argv.addAll(List.of(
                req.toString(), socket.toString(), tmp.resolve("exec0.lock").toString()));
        return new ProcessBuilder(argv).start();
    }

    private Result run(Path req, List<String> flags, String stdin) throws Exception {
        Process p = start(req, flags);
        Thread writer = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the relay closed its stdin
            }
        });
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        writer.join();
        return new Result(p.exitValue(), out, err.get(20, TimeUnit.SECONDS));
    }

    private int detachedWithLog(Path req, Path socket, String lock, Path log) throws Exception {
        List<String> argv = new ArrayList<>(
                List.of(relay.toString(), "--detach", "--log", log.toString(), "--log-format", "json", req.toString()));
        argv.addAll(List.of(socket.toString(), tmp.resolve(lock).toString()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static void waitForLine(Process p, String line) throws IOException {
        var reader = p.inputReader();
        String l;
        while ((l = reader.readLine()) != null) {
            if (l.equals(line)) return;
        }
        throw new IOException("the relay ended before '" + line + "'");
    }

    private Path gcc(Path src, String name) throws Exception {
        assumeTrue(Files.exists(src), src + " not found");
        Path out = tmp.resolve(name);
        Process gcc = new ProcessBuilder(
                        "gcc", "-static", "-Os", "-Wall", "-Wextra", "-Werror", "-o", out.toString(), src.toString())
                .inheritIO()
                .start();
        assumeTrue(gcc.waitFor(120, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc could not build " + src);
        return out;
    }

    private static String id(String flag) {
        try {
            Process p = new ProcessBuilder("id", flag).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
