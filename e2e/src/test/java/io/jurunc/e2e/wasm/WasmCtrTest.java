package io.jurunc.e2e.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.e2e.support.CommandResult;
import io.jurunc.e2e.support.Ctr;
import io.jurunc.e2e.support.E2eEnvironment;
import io.jurunc.e2e.support.RunSpec;
import io.jurunc.e2e.support.Spawned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A WASM image built by {@code jurunc build}, run by {@code ctr run} through containerd's runc shim with the
 * jurunc CLI (a process per container) and through jurunc's shim (an instance in the daemon's JVM): both give
 * the module's output, its exit status, a clear trap, a stop on kill, and leave nothing behind.
 */
class WasmCtrTest {
    static WasmEnvironment env;

    @BeforeAll
    static void setUp() {
        env = WasmEnvironment.start();
    }

    @AfterAll
    static void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    /** ctr replaces the image's ENTRYPOINT and CMD with the arguments it is given: the module comes first. */
    private static RunSpec spec(String path, String id, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "/app.wasm";
        System.arraycopy(args, 0, argv, 1, args.length);
        return (path.equals("cli") ? env.viaCli(id, argv) : env.viaShim(id, argv)).withRm();
    }

    /** Without arguments ctr runs the image's ENTRYPOINT + CMD: /app.wasm hello. */
    private static RunSpec imageDefault(String path, String id) {
        return (path.equals("cli") ? env.viaCli(id) : env.viaShim(id)).withRm();
    }

    private static CommandResult run(String path, String what, String... args) {
        String id = E2eEnvironment.newId("wasm-" + what);
        try {
            return env.ctr().run(spec(path, id, args));
        } finally {
            env.removeQuietly(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli", "shim"})
    void argsEnvAndTheImagesFile(String path) {
        String hid = E2eEnvironment.newId("wasm-hello");
        CommandResult hello;
        try {
            hello = env.ctr().run(imageDefault(path, hid));
        } finally {
            env.removeQuietly(hid);
        }
        assertThat(hello.exitCode()).as(hello.describe()).isZero();
        assertThat(hello.stdout()).isEqualTo("hello from wasm\n");
        CommandResult args = run(path, "args", "args", "one", "two words");
        assertThat(args.stdout())
                .as(args.describe())
                .isEqualTo("arg[0]=/app.wasm\narg[1]=args\narg[2]=one\narg[3]=two words\n");
        String id = E2eEnvironment.newId("wasm-env");
        CommandResult envRun;
        try {
            envRun = env.ctr().run(spec(path, id, "env", "GREETING", "PATH").withEnv("GREETING=hi there"));
        } finally {
            env.removeQuietly(id);
        }
        assertThat(envRun.stdout())
                .as(envRun.describe())
                .contains("GREETING=hi there\n")
                .contains("PATH=/");
        CommandResult file = run(path, "file", "cat", "/etc/greeting");
        assertThat(file.stdout()).as(file.describe()).isEqualTo("hello from the image\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli", "shim"})
    void aBindMountIsItsOwnReadOnlyPreopen(String path) throws Exception {
        Path data = Files.createDirectories(env.work().resolve("data-" + path));
        Files.writeString(data.resolve("note.txt"), "hello from a bind mount\n");
        String id = E2eEnvironment.newId("wasm-bind");
        String mount = "type=bind,src=" + data + ",dst=/data,options=rbind:ro";
        try {
            CommandResult read =
                    env.ctr().run(spec(path, id, "cat", "/data/note.txt").withFlag("--mount", mount));
            assertThat(read.stdout()).as(read.describe()).isEqualTo("hello from a bind mount\n");
        } finally {
            env.removeQuietly(id);
        }
        String id2 = E2eEnvironment.newId("wasm-bindw");
        try {
            CommandResult write =
                    env.ctr().run(spec(path, id2, "write", "/data/new.txt", "x").withFlag("--mount", mount));
            assertThat(write.exitCode()).as(write.describe()).isEqualTo(3);
            assertThat(data.resolve("new.txt")).doesNotExist();
        } finally {
            env.removeQuietly(id2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli", "shim"})
    void exitStatusAndTrap(String path) {
        CommandResult seven = run(path, "exit", "exit", "7");
        assertThat(seven.exitCode()).as(seven.describe()).isEqualTo(7);
        assertThat(seven.stderr()).contains("exiting with 7");
        CommandResult trap = run(path, "trap", "trap");
        assertThat(trap.exitCode()).as(trap.describe()).isEqualTo(134);
        assertThat(trap.stdout()).isEqualTo("before the trap\n");
        assertThat(trap.stderr()).contains("jurunc: wasm trap in /app.wasm").contains("unreachable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli", "shim"})
    void theMemoryLimitAndTheCpuBudgetComeFromTheContainer(String path) {
        String id = E2eEnvironment.newId("wasm-mem");
        CommandResult limited;
        try {
            limited = env.ctr().run(spec(path, id, "alloc", "48").withFlag("--memory-limit", "16777216"));
        } finally {
            env.removeQuietly(id);
        }
        assertThat(limited.exitCode()).as(limited.describe()).isEqualTo(4);
        assertThat(limited.stdout()).startsWith("allocated 1");
        CommandResult unlimited = run(path, "mem", "alloc", "48");
        assertThat(unlimited.stdout()).as(unlimited.describe()).isEqualTo("allocated 48 of 48 MiB\n");
        String id2 = E2eEnvironment.newId("wasm-cpu");
        CommandResult budget;
        try {
            budget =
                    env.ctr().run(spec(path, id2, "loop").withFlag("--annotation", "io.jurunc.wasm.cpu-budget-ms=500"));
        } finally {
            env.removeQuietly(id2);
        }
        assertThat(budget.exitCode()).as(budget.describe()).isEqualTo(128 + 24);
        assertThat(budget.stderr()).contains("CPU budget of 500 ms exhausted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cli", "shim"})
    void killStopsAnEndlessLoopAndNothingIsLeft(String path) throws Exception {
        String id = E2eEnvironment.newId("wasm-loop");
        try (Spawned ctrRun = env.ctr().startRun(spec(path, id, "loop"))) {
            Optional<Ctr.TaskRow> running = env.awaitTask(id, "RUNNING", Duration.ofSeconds(60));
            assertThat(running).as("task %s running", id).isPresent();
            long pid = running.get().pid();
            if (path.equals("cli")) {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                        .replace('\0', ' ');
                assertThat(cmdline)
                        .contains("io.jurunc.wasm.cli.WasmContainerMain")
                        .contains(id);
            } else {
                assertThat(env.shimDaemons()).contains(pid);
            }
            CommandResult ps = env.ctr().ctr("tasks", "ps", id);
            assertThat(ps.stdout()).as(ps.describe()).contains(Long.toString(pid));
            long t0 = System.nanoTime();
            env.ctr().kill(id, "SIGKILL").requireSuccess();
            assertThat(ctrRun.waitFor(Duration.ofSeconds(30))).isEqualTo(137);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            if (path.equals("shim")) {
                assertThat(ProcessHandle.of(pid))
                        .as("the shim daemon outlives the container")
                        .isPresent();
            } else {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .isFalse();
            }
        } finally {
            env.removeQuietly(id);
        }
        assertThat(env.task(id)).isEmpty();
        assertThat(Path.of("/run/containerd/runc", env.ctr().namespace(), id)).doesNotExist();
        assertThat(env.containerd().taskBundle(env.ctr().namespace(), id)).doesNotExist();
    }
}
