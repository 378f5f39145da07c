package io.jurunc.e2e.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.Cleanup;
import io.jurunc.e2e.support.Command;
import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.FileTrees;
import io.jurunc.e2e.support.Host;
import io.jurunc.e2e.support.ImageBuilder;
import io.jurunc.e2e.support.Jurunc;
import io.jurunc.e2e.support.JuruncImageBuilder;
import io.jurunc.e2e.support.RealHost;
import io.jurunc.e2e.support.WasmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Podman with jurunc as its OCI runtime (conmon drives create/start/state/kill/delete, as with runc): an image
 * that carries no WASM metadata at all is run as WASM because of {@code --annotation
 * module.wasm.image/variant=compat}, as with crun. Podman's storage, run root and containers.conf are private
 * to the test (containers.conf drops podman's default rlimits, which runc refuses here).
 */
class WasmPodmanTest {
    static final String IMAGE = "localhost/jurunc-test/wasm-plain:latest";
    static final Host HOST = new RealHost();
    static final Cleanup CLEANUP = new Cleanup();
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createTempDirectory("jurunc-e2e-podman-");
        CLEANUP.defer("delete " + work, () -> FileTrees.deleteRecursively(work));
        CLEANUP.defer("podman storage of the test", () -> podman(List.of("system", "reset", "--force")));
        Files.writeString(work.resolve("containers.conf"), """
                [containers]
                default_ulimits = []
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "none"
                """);
        // no WASM label: only the annotation makes this image a WASM container
        Path context = WasmProbe.context(HOST, work.resolve("context"), """
                FROM scratch
                COPY app.wasm /app.wasm
                COPY greeting /etc/greeting
                ENTRYPOINT ["/app.wasm"]
                CMD ["hello"]
                """);
        Path archive = work.resolve("plain.tar");
        new JuruncImageBuilder(HOST, Jurunc.cli()).build(context, IMAGE, ImageBuilder.Format.OCI_ARCHIVE, archive);
        podman(List.of("load", "-i", archive.toString())).requireSuccess();
    }

    @AfterAll
    static void tearDown() {
        CLEANUP.close();
    }

    static CommandResult podman(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(
                "podman",
                "--root",
                work.resolve("storage").toString(),
                "--runroot",
                work.resolve("run").toString(),
                "--runtime",
                Jurunc.cli().toString(),
                "--cgroup-manager",
                "cgroupfs"));
        argv.addAll(args);
        return HOST.run(Command.of(argv)
                .withEnv("CONTAINERS_CONF", work.resolve("containers.conf").toString())
                .withTimeout(Duration.ofMinutes(3)));
    }

    static CommandResult runWasm(String... args) {
        List<String> a = new ArrayList<>(
                List.of("run", "--rm", "--network", "none", "--annotation", "module.wasm.image/variant=compat", IMAGE));
        a.addAll(List.of(args));
        return podman(a);
    }

    @Test
    void theAnnotationSelectsWasmAndPodmanSeesTheModulesOutputAndStatus() {
        CommandResult hello = runWasm();
        assertThat(hello.exitCode()).as(hello.describe()).isZero();
        assertThat(hello.stdout()).isEqualTo("hello from wasm\n");
        CommandResult args = runWasm("args", "one", "two words");
        assertThat(args.stdout())
                .as(args.describe())
                .isEqualTo("arg[0]=/app.wasm\narg[1]=args\narg[2]=one\narg[3]=two words\n");
        CommandResult file = runWasm("cat", "/etc/greeting");
        assertThat(file.stdout()).as(file.describe()).isEqualTo("hello from the image\n");
        CommandResult seven = runWasm("exit", "7");
        assertThat(seven.exitCode()).as(seven.describe()).isEqualTo(7);
        CommandResult trap = runWasm("trap");
        assertThat(trap.exitCode()).as(trap.describe()).isEqualTo(134);
        assertThat(trap.stderr()).contains("wasm trap in /app.wasm");
    }

    @Test
    void aTerminalComesThroughTheConsoleSocket() {
        CommandResult tty = podman(List.of(
                "run",
                "--rm",
                "-t",
                "--network",
                "none",
                "--annotation",
                "module.wasm.image/variant=compat",
                IMAGE,
                "args",
                "x"));
        assertThat(tty.exitCode()).as(tty.describe()).isZero();
        // a pty turns the module's \n into \r\n: the output went through the terminal
        assertThat(tty.stdout()).as(tty.describe()).isEqualTo("arg[0]=/app.wasm\r\narg[1]=args\r\narg[2]=x\r\n");
    }

    @Test
    void withoutTheAnnotationTheImageGoesToRuncWhichCannotExecAModule() {
        CommandResult r = podman(List.of("run", "--rm", "--network", "none", IMAGE));
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.stdout()).doesNotContain("hello from wasm");
    }

    @Test
    void stopEndsAnEndlessLoopAndRmLeavesNothing() {
        String name = "jurunc-wasm-loop-" + ProcessHandle.current().pid();
        CommandResult started = podman(List.of(
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "none",
                "--annotation",
                "module.wasm.image/variant=compat",
                IMAGE,
                "loop"));
        assertThat(started.exitCode()).as(started.describe()).isZero();
        CommandResult state = podman(List.of("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name));
        assertThat(state.stdout()).as(state.describe()).startsWith("running ");
        long pid = Long.parseLong(state.stdout().strip().split(" ")[1]);
        assertThat(ProcessHandle.of(pid)).isPresent();
        CommandResult kill = podman(List.of("kill", "--signal", "KILL", name));
        assertThat(kill.exitCode()).as(kill.describe()).isZero();
        CommandResult waited = podman(List.of("wait", name));
        assertThat(waited.stdout().strip()).as(waited.describe()).isEqualTo("137");
        podman(List.of("rm", name)).requireSuccess();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(podman(List.of("ps", "-a", "-q")).stdout()).isBlank();
    }
}
