package io.jurunc.shim.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.shim.os.CommandResult;
import io.jurunc.shim.os.RecordingShimOs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncStyleBackendTest {
    @TempDir
    Path bundle;

    @Test
    void drivesRuncAsContainerdsRuncShimDoes() throws Exception {
        RecordingShimOs os = new RecordingShimOs().script(c -> {
            if (c.argv().contains("create")) {
                try {
                    Files.writeString(bundle.resolve("init.pid"), "4321");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return c.argv().contains("ps") ? new CommandResult(0, "[4321,4400]\n", "") : new CommandResult(0, "", "");
        });
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/run/containerd/runc/default"), os);
        Created created = runc.create(new CreateSpec(
                "c1", bundle, Optional.empty(), Optional.of(Path.of("/f/out")), Optional.of(Path.of("/f/err")), false));
        assertThat(created.pid()).isEqualTo(4321);
        String log = bundle.resolve("log.json").toString();
        assertThat(os.calls.getFirst())
                .isEqualTo("run runc --root /run/containerd/runc/default --log " + log
                        + " --log-format json create --bundle " + bundle + " --pid-file " + bundle.resolve("init.pid")
                        + " c1");
        assertThat(os.commands.getFirst().stdout()).contains(Path.of("/f/out"));
        assertThat(os.commands.getFirst().stdin())
                .as("no stdin: /dev/null, never a pipe of ours")
                .contains(Path.of("/dev/null"));
        runc.start("c1");
        runc.kill("c1", 9, true);
        assertThat(runc.pids("c1")).containsExactly(4321, 4400);
        runc.delete("c1", true);
        assertThat(os.calls)
                .contains(
                        "run runc --root /run/containerd/runc/default --log " + log + " --log-format json start c1",
                        "run runc --root /run/containerd/runc/default --log " + log
                                + " --log-format json kill --all c1 9",
                        "run runc --root /run/containerd/runc/default --log " + log
                                + " --log-format json delete --force c1");
    }

    /** {@code ctr task exec [-t]}: runc exec detached, with the shim's console socket for a terminal exec. */
    @Test
    void execsDetachedAndATerminalExecSendsItsPtyToTheConsoleSocket() throws Exception {
        RecordingShimOs os = new RecordingShimOs();
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/run/containerd/runc/default"), os);
        byte[] process = "{\"terminal\":true,\"args\":[\"sh\"]}".getBytes();
        ExecSpec plain = new ExecSpec("c1", "e1", bundle, process, false);
        String prefix = "runc --root /run/containerd/runc/default --log " + bundle.resolve("log.json")
                + " --log-format json exec --process " + bundle.resolve("exec-e1.json") + " --detach --pid-file "
                + bundle.resolve("exec-e1.pid");
        assertThat(String.join(" ", runc.exec(plain).argv())).isEqualTo(prefix + " c1");

        ExecSpec tty = new ExecSpec("c1", "e1", bundle, process, true).withConsoleSocket(Path.of("/run/t/c.sock"));
        ExecLaunch launch = runc.exec(tty);
        assertThat(String.join(" ", launch.argv())).isEqualTo(prefix + " --console-socket /run/t/c.sock c1");
        assertThat(bundle.resolve("exec-e1.json")).hasBinaryContent(process);

        assertThatThrownBy(() -> runc.exec(new ExecSpec("c1", "e1", bundle, process, true)))
                .isInstanceOfSatisfying(
                        BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.UNSUPPORTED));
        assertThatThrownBy(() -> new ExecSpec("c1", "e1", bundle, process, false, Optional.of(Path.of("/s"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failuresCarryTheRuntimesLogMessage() throws Exception {
        Files.writeString(
                bundle.resolve("log.json"),
                "{\"level\":\"info\",\"msg\":\"x\"}\n{\"level\":\"error\",\"msg\":\"container_linux.go: exec: no such file\"}\n");
        RecordingShimOs os = new RecordingShimOs().script(c -> new CommandResult(1, "", ""));
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/r"), os);
        assertThatThrownBy(() -> runc.create(
                        new CreateSpec("c1", bundle, Optional.empty(), Optional.empty(), Optional.empty(), false)))
                .isInstanceOf(BackendException.class)
                .hasMessage("runc create c1 failed (exit 1): container_linux.go: exec: no such file");
    }

    @Test
    void notFoundIsClassified() {
        RecordingShimOs os = new RecordingShimOs().script(c -> new CommandResult(1, "", "container does not exist"));
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/r"), os);
        assertThatThrownBy(() -> runc.kill("zz", 15, false))
                .isInstanceOf(BackendException.class)
                .extracting(e -> ((BackendException) e).kind())
                .isEqualTo(BackendException.Kind.NOT_FOUND);
    }

    /** A terminal task passes the shim's console socket as runc's {@code --console-socket}; stdio is the pty's. */
    @Test
    void aTerminalTaskGetsTheConsoleSocketAndWithoutOneIsRefused() throws Exception {
        RecordingShimOs os = new RecordingShimOs().script(c -> {
            try {
                Files.writeString(bundle.resolve("init.pid"), "4321");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return new CommandResult(0, "", "");
        });
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/r"), os);
        Path socket = Path.of("/run/tty/console.sock");
        runc.create(new CreateSpec(
                "c1", bundle, Optional.empty(), Optional.empty(), Optional.empty(), true, Optional.of(socket)));
        assertThat(os.calls.getFirst()).endsWith(" --console-socket " + socket + " c1");
        assertThat(os.commands.getFirst().stdout()).contains(Path.of("/dev/null"));
        assertThatThrownBy(() -> runc.create(
                        new CreateSpec("c2", bundle, Optional.empty(), Optional.empty(), Optional.empty(), true)))
                .isInstanceOfSatisfying(
                        BackendException.class, e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.UNSUPPORTED));
    }

    @Test
    void pauseResumeAndStatsUseRuncsVerbsAndReadItsStatsEvent() throws Exception {
        RecordingShimOs os = new RecordingShimOs()
                .script(c -> c.argv().contains("events")
                        ? new CommandResult(
                                0,
                                "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{\"cpu\":{\"usage\":{\"total\":42,"
                                        + "\"kernel\":2,\"user\":40},\"throttling\":{}},\"memory\":{\"usage\":{\"limit\":"
                                        + "18446744073709551615,\"usage\":1000,\"failcnt\":0}},\"pids\":{\"current\":2}}}\n",
                                "")
                        : new CommandResult(0, "", ""));
        RuncStyleBackend runc = new RuncStyleBackend("runc", "runc", Path.of("/r"), os);
        runc.knowing("c1", bundle);
        runc.pause("c1");
        runc.resume("c1");
        var stats = runc.stats("c1");
        String log = bundle.resolve("log.json").toString();
        assertThat(os.calls)
                .containsExactly(
                        "run runc --root /r --log " + log + " --log-format json pause c1",
                        "run runc --root /r --log " + log + " --log-format json resume c1",
                        "run runc --root /r --log " + log + " --log-format json events --stats c1");
        assertThat(stats.cpu().usage().total()).isEqualTo(42);
        assertThat(stats.memory().usage().limit()).isEqualTo(io.jurunc.runtime.lifecycle.ContainerStats.UNLIMITED);
        assertThat(stats.pids().current()).isEqualTo(2);
        RuncStyleBackend broken = new RuncStyleBackend(
                "runc", "runc", Path.of("/r"), new RecordingShimOs().script(c -> new CommandResult(0, "garbage", "")));
        assertThatThrownBy(() -> broken.stats("c2"))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("printed no stats event");
    }
}
