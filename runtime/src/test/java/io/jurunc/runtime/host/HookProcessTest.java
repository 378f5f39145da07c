package io.jurunc.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.oci.State;
import io.jurunc.runtime.hooks.Hook;
import io.jurunc.runtime.hooks.HookFailedException;
import io.jurunc.runtime.hooks.HookRunner;
import io.jurunc.runtime.hooks.HookStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real hook processes through {@link LinuxHost}: stdin, argv0, environment, exit status, timeout. */
class HookProcessTest {
    @TempDir
    Path tmp;

    final LinuxHost host = new LinuxHost();

    private Path script(String body) throws Exception {
        Path p = tmp.resolve("hook.sh");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void aShellScriptHookGetsTheStateOnStdinAndOnlyItsEnvironment() throws Exception {
        Path hook = script("cat > \"$OUT/stdin\"; env > \"$OUT/env\"; echo \"$1 $2\" > \"$OUT/args\"\n");
        State state = new State("1.0.2", "c1", "creating", 4242, "/b", Map.of("k", "v"));
        List<String> log = new ArrayList<>();
        new HookRunner(host, log::add)
                .run(
                        HookStage.PRESTART,
                        List.of(new Hook(
                                hook,
                                List.of(hook.toString(), "one", "two"),
                                List.of("OUT=" + tmp, "HOOKVAR=x y"),
                                Optional.of(Duration.ofSeconds(10)))),
                        state);

        assertThat(Files.readString(tmp.resolve("stdin")))
                .isEqualTo(
                        "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4242,\"bundle\":\"/b\","
                                + "\"annotations\":{\"k\":\"v\"}}");
        assertThat(Files.readString(tmp.resolve("args"))).isEqualTo("one two\n");
        List<String> env = Files.readAllLines(tmp.resolve("env"));
        assertThat(env).contains("OUT=" + tmp, "HOOKVAR=x y");
        assertThat(env)
                .noneMatch(l -> l.startsWith("JAVA_HOME=") || l.startsWith("HOME=") || l.startsWith("MAVEN_OPTS="));
        assertThat(log).isEmpty();
    }

    /** The static sandbox helper, built from runtime/src/main/c/sandbox.c as make-dist.sh builds it. */
    private Path helper() throws Exception {
        Path src = Path.of(System.getProperty("user.dir")).resolve("src/main/c/sandbox.c");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(src), "sandbox.c not found at " + src);
        Path out = tmp.resolve("jurunc-sandbox");
        Process gcc = new ProcessBuilder(
                        "gcc",
                        "-static",
                        "-Os",
                        "-s",
                        "-Wall",
                        "-Wextra",
                        "-Werror",
                        "-o",
                        out.toString(),
                        src.toString())
                .inheritIO()
                .start();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                gcc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && gcc.exitValue() == 0,
                "gcc could not build the sandbox helper");
        return out;
    }

    @Test
    void args0IsTheHooksArgv0EvenWhenItIsNotItsPath() throws Exception {
        LinuxHost withHelper = new LinuxHost(Optional.of(helper()));
        HookExit exit = withHelper.runHook(
                Path.of("/bin/sh"),
                List.of("libnetwork-setkey", "-c", "echo \"$0\" > \"$OUT/argv0\"; env > \"$OUT/env\""),
                List.of("OUT=" + tmp),
                new byte[0],
                Optional.empty());
        assertThat(exit.succeeded()).isTrue();
        assertThat(Files.readString(tmp.resolve("argv0"))).isEqualTo("libnetwork-setkey\n");
        assertThat(Files.readAllLines(tmp.resolve("env")))
                .contains("OUT=" + tmp)
                .noneMatch(l -> l.startsWith("JAVA_HOME="));
    }

    @Test
    void anOwnArgv0WithoutTheSandboxHelperIsAClearHostException() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.runHook(
                        Path.of("/bin/sh"),
                        List.of("libnetwork-setkey", "-c", "true"),
                        List.of(),
                        new byte[0],
                        Optional.empty()))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("argv0 'libnetwork-setkey'")
                .hasMessageContaining("sandbox helper");
    }

    @Test
    void aFailingHookReportsItsStatusAndOutput() throws Exception {
        Path hook = script("cat >/dev/null; echo 'cannot reach dockerd' >&2; exit 7\n");
        HookExit exit = host.runHook(hook, List.of(), List.of(), "{}".getBytes(), Optional.empty());
        assertThat(exit).isEqualTo(new HookExit(7, false, "cannot reach dockerd"));
    }

    @Test
    void aHookPastItsTimeoutIsKilled() throws Exception {
        Path hook = script("echo $$ > \"$OUT/pid\"; exec sleep 600\n");
        var runner = new HookRunner(host, l -> {});
        var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                HookFailedException.class,
                () -> runner.run(
                        HookStage.CREATE_RUNTIME,
                        List.of(new Hook(hook, List.of(), List.of("OUT=" + tmp), Optional.of(Duration.ofSeconds(1)))),
                        new State("1.0.2", "c", "creating", 1, "/b", Map.of())));
        assertThat(failure.timedOut()).isTrue();
        assertThat(failure).hasMessageContaining("ran past its timeout of 1 s and was killed");
        long pid = Long.parseLong(Files.readString(tmp.resolve("pid")).strip());
        assertThat(host.inspect(pid)).isEmpty(); // killed and reaped
    }

    @Test
    void aHookThatCannotBeExecutedIsAHostException() {
        var runner = new HookRunner(host, l -> {});
        var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                HookFailedException.class,
                () -> runner.run(
                        HookStage.PRESTART,
                        List.of(new Hook(tmp.resolve("missing"), List.of(), List.of(), Optional.empty())),
                        new State("1.0.2", "c", "creating", 1, "/b", Map.of())));
        assertThat(failure).hasMessageContaining("prestart hook 0").hasMessageContaining("could not run");
    }
}
