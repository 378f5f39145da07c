package io.jurunc.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.oci.Json;
import io.jurunc.oci.State;
import io.jurunc.runtime.hooks.HookFailedException;
import io.jurunc.runtime.hooks.HookStage;
import io.jurunc.runtime.hooks.Hooks;
import io.jurunc.runtime.hooks.InvalidHookException;
import io.jurunc.runtime.host.HookExit;
import io.jurunc.runtime.host.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI hooks of a microVM bundle, with the recording host: order, stdin, timeout, failures. */
class HooksLifecycleTest {
    @TempDir
    Path tmp;

    Path root;
    Path bundle;
    Fakes.World w;

    private static final String LINUX_QEMU =
            "\"com.urunc.unikernel.unikernelType\":\"linux\",\"com.urunc.unikernel.hypervisor\":\"qemu\",\"a.b\":\"c\"";

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("rootfs/boot"));
        Files.writeString(bundle.resolve("rootfs/boot/kernel"), "ELF");
        w = Fakes.world(root);
    }

    private void config(String hooks) throws Exception {
        config(hooks, "");
    }

    /** {@code pidns}: "" or {@code ,{"type":"pid"}}, whose forked waiter the rollback kills by pid (seen here). */
    private void config(String hooks, String pidns) throws Exception {
        Files.writeString(bundle.resolve("config.json"), """
        {"ociVersion":"1.0.2","process":{"args":["/bin/echo","hi"],"user":{"uid":1000,"gid":1000}},
         "root":{"path":"rootfs"},"annotations":{%s},
         "linux":{"namespaces":[{"type":"network"}%s]},
         "hooks":{%s}}
        """.formatted(LINUX_QEMU, pidns, hooks));
    }

    private CreateOperation.Created create(String id) throws Exception {
        return new CreateOperation(w.ctx())
                .run(new CreateRequest(
                        id,
                        Bundle.load(bundle),
                        Optional.of(tmp.resolve("init.pid")),
                        Optional.empty(),
                        Stdio.INHERIT));
    }

    private static State state(Fakes.RecordingHost.HookCall call) throws Exception {
        return Json.mapper().readValue(call.stdin(), State.class);
    }

    @Test
    void prestartThenCreateRuntimeRunInCreateAfterTheWaiterWithTheStateOnStdin() throws Exception {
        config("""
        "prestart":[{"path":"/usr/bin/setkey","args":["libnetwork-setkey","-exec-root=/run/x","c1"],
                     "env":["A=1","B=two words"],"timeout":5},
                    {"path":"/usr/bin/second"}],
        "createRuntime":[{"path":"/usr/bin/third","args":["third"]}]""");
        long pid = create("c1").record().pid();

        var calls = w.host().hooks;
        assertThat(calls)
                .extracting(c -> c.path().toString())
                .containsExactly("/usr/bin/setkey", "/usr/bin/second", "/usr/bin/third");
        var first = calls.getFirst();
        assertThat(first.args()).containsExactly("libnetwork-setkey", "-exec-root=/run/x", "c1");
        assertThat(first.env()).containsExactly("A=1", "B=two words");
        assertThat(first.timeout()).contains(Duration.ofSeconds(5));
        assertThat(calls.get(1).args()).isEmpty();
        assertThat(calls.get(1).timeout()).isEmpty();
        assertThat(calls).allSatisfy(c -> assertThat(c.spawnedBefore()).isEqualTo(1)); // the waiter exists
        State st = state(first);
        assertThat(st.status()).isEqualTo("creating");
        assertThat(st.id()).isEqualTo("c1");
        assertThat(st.pid()).isEqualTo((int) pid);
        assertThat(st.bundle()).isEqualTo(bundle.toString());
        assertThat(st.ociVersion()).isEqualTo("1.0.2");
        assertThat(st.annotations()).containsEntry("a.b", "c");
        assertThat(calls.get(2).stdin()).isEqualTo(first.stdin());
        assertThat(Files.readString(tmp.resolve("init.pid"))).isEqualTo(Long.toString(pid));
        assertThat(new StateQuery(w.ctx()).run("c1").status()).isEqualTo("created");
        assertThat(Files.exists(root.resolve("c1").resolve(Hooks.FILE))).isFalse(); // no poststart/poststop
    }

    @Test
    void aFailingPrestartHookFailsCreateNamingItAndLeavesNothingBehind() throws Exception {
        config("""
        "prestart":[{"path":"/usr/bin/net"}], "createRuntime":[{"path":"/usr/bin/never"}]""", ",{\"type\":\"pid\"}");
        w.host().hookExits.put(Path.of("/usr/bin/net"), new HookExit(3, false, "no such network"));

        assertThatThrownBy(() -> create("c2"))
                .isInstanceOfSatisfying(HookFailedException.class, e -> {
                    assertThat(e.stage()).isEqualTo(HookStage.PRESTART);
                    assertThat(e.status()).isEqualTo(3);
                    assertThat(e.timedOut()).isFalse();
                })
                .hasMessageContaining("prestart hook 0 (/usr/bin/net)")
                .hasMessageContaining("exit status 3")
                .hasMessageContaining("no such network");
        assertThat(w.host().hooks).hasSize(1); // createRuntime did not run
        assertThat(Files.exists(root.resolve("c2"))).isFalse();
        assertThat(w.host().hooks.getFirst().stdin()).contains("\"pid\":4243"); // the forked waiter
        assertThat(w.host().signals).containsExactly("4243:9"); // which the rollback killed
        assertThat(w.host().procs).isEmpty();
        assertThat(Files.exists(tmp.resolve("init.pid"))).isFalse();
    }

    @Test
    void aCreateRuntimeHookPastItsTimeoutFailsCreate() throws Exception {
        config("""
        "createRuntime":[{"path":"/usr/bin/slow","timeout":2}]""", ",{\"type\":\"pid\"}");
        w.host().hookExits.put(Path.of("/usr/bin/slow"), new HookExit(-1, true, ""));

        assertThatThrownBy(() -> create("c3"))
                .isInstanceOfSatisfying(
                        HookFailedException.class, e -> assertThat(e.timedOut()).isTrue())
                .hasMessageContaining("createRuntime hook 0 (/usr/bin/slow)")
                .hasMessageContaining("ran past its timeout of 2 s");
        assertThat(Files.exists(root.resolve("c3"))).isFalse();
        assertThat(w.host().signals).containsExactly("4243:9");
    }

    @Test
    void containerSideHooksAreRefusedBeforeAnythingIsMade() throws Exception {
        config("""
        "prestart":[{"path":"/usr/bin/ok"}], "startContainer":[{"path":"/usr/bin/in-container"}]""");
        assertThatThrownBy(() -> create("c4"))
                .isInstanceOfSatisfying(
                        InvalidHookException.class, e -> assertThat(e.stage()).isEqualTo(HookStage.START_CONTAINER))
                .hasMessageContaining("hooks.startContainer");
        assertThat(w.host().spawned).isEmpty();
        assertThat(w.host().hooks).isEmpty();
        assertThat(Files.exists(root.resolve("c4"))).isFalse();
    }

    @Test
    void aRelativePathOrANonPositiveTimeoutIsRefused() throws Exception {
        config("""
        "poststop":[{"path":"/ok"},{"path":"bin/hook"}]""");
        assertThatThrownBy(() -> create("c5"))
                .isInstanceOf(InvalidHookException.class)
                .hasMessageContaining("hooks.poststop[1]")
                .hasMessageContaining("must be absolute");
        config("""
        "prestart":[{"path":"/ok","timeout":0}]""");
        assertThatThrownBy(() -> create("c5"))
                .isInstanceOf(InvalidHookException.class)
                .hasMessageContaining("hooks.prestart[0]")
                .hasMessageContaining("timeout 0");
        assertThat(w.host().spawned).isEmpty();
    }

    @Test
    void poststartAndPoststopFailuresAreOnlyWarnings() throws Exception {
        config("""
        "poststart":[{"path":"/usr/bin/ps1","args":["ps1","x"]},{"path":"/usr/bin/ps2"}],
        "poststop":[{"path":"/usr/bin/stop1","env":["Z=9"],"timeout":3}]""");
        long pid = create("c6").record().pid();
        assertThat(w.host().hooks).isEmpty(); // nothing runs at create
        w.host().hookExits.put(Path.of("/usr/bin/ps1"), new HookExit(1, false, "oops"));
        w.host().hookExits.put(Path.of("/usr/bin/stop1"), new HookExit(2, false, ""));

        new StartOperation(w.ctx()).run("c6");
        assertThat(new StateQuery(w.ctx()).run("c6").status()).isEqualTo("running");
        assertThat(w.host().hooks).extracting(c -> c.path().toString()).containsExactly("/usr/bin/ps1", "/usr/bin/ps2");
        assertThat(w.host().hooks.getFirst().args()).containsExactly("ps1", "x");
        assertThat(state(w.host().hooks.getFirst()).status()).isEqualTo("running");
        assertThat(state(w.host().hooks.getFirst()).pid()).isEqualTo((int) pid);
        assertThat(w.log())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("warning: poststart hook 0 (/usr/bin/ps1)")
                        .contains("exit status 1", "oops"));

        new DeleteOperation(w.ctx()).run("c6", true);
        var stop = w.host().hooks.get(2);
        assertThat(stop.path()).isEqualTo(Path.of("/usr/bin/stop1"));
        assertThat(stop.env()).containsExactly("Z=9");
        assertThat(stop.timeout()).contains(Duration.ofSeconds(3));
        assertThat(state(stop).status()).isEqualTo("stopped");
        assertThat(w.log()).anySatisfy(l -> assertThat(l).startsWith("warning: poststop hook 0 (/usr/bin/stop1)"));
        assertThat(Files.exists(root.resolve("c6"))).isFalse();
        assertThat(w.host().hooks).hasSize(3);
    }

    @Test
    void withoutHooksNothingRunsAndNothingIsKept() throws Exception {
        config("");
        create("c7");
        new StartOperation(w.ctx()).run("c7");
        new DeleteOperation(w.ctx()).run("c7", true);
        assertThat(w.host().hooks).isEmpty();
        assertThat(w.log()).noneMatch(l -> l.contains("hook"));
        assertThat(List.of(root.toFile().list())).doesNotContain("c7");
    }
}
