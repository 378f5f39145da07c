package io.jurunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FastPathTest {
    private static ContainerCommand bind(String... args) {
        return FastPath.bind(new JuruncCommand(args), args).orElse(null);
    }

    @Test
    void bindsTheCommandsContainerdRunsWithGoRuncsFlags() {
        var create = (CreateCommand) bind(
                "--root",
                "/run/containerd/runc/default",
                "--log",
                "/b/log.json",
                "--log-format",
                "json",
                "--systemd-cgroup",
                "create",
                "--bundle",
                "/b",
                "--pid-file",
                "/b/init.pid",
                "--console-socket",
                "/tmp/c.sock",
                "id1");
        assertThat(create.id).isEqualTo("id1");
        assertThat(create.opts.bundle).isEqualTo(Path.of("/b"));
        assertThat(create.opts.pidFile).isEqualTo(Path.of("/b/init.pid"));
        assertThat(create.opts.consoleSocket).isEqualTo(Path.of("/tmp/c.sock"));
        assertThat(create.top.root).isEqualTo(Path.of("/run/containerd/runc/default"));
        assertThat(create.top.logFormat).isEqualTo("json");
        var kill = (KillCommand) bind("kill", "--all", "id1", "9");
        assertThat(kill.all).isTrue();
        assertThat(kill.signal).isEqualTo("9");
        assertThat(((KillCommand) bind("kill", "id1")).signal).isEqualTo("SIGTERM");
        assertThat(((DeleteCommand) bind("delete", "--force", "id1")).force).isTrue();
        assertThat(((PsCommand) bind("ps", "--format", "json", "id1")).format).isEqualTo("json");
        assertThat(((StartCommand) bind("start", "id1")).top.root).isEqualTo(Path.of("/run/jurunc"));
    }

    @Test
    void leavesEverythingElseToPicocli() {
        assertThat(bind("--help")).isNull();
        assertThat(bind("create", "--help", "x")).isNull();
        assertThat(bind("create", "--bundle")).isNull();
        assertThat(bind("create")).isNull();
        assertThat(bind("start")).isNull();
        assertThat(bind("start", "a", "b")).isNull();
        assertThat(bind("kill", "--signal", "x")).isNull();
        assertThat(bind("--root")).isNull();
        assertThat(bind("--unknown", "state", "x")).isNull();
        assertThat(bind("build", "-t", "x", ".")).isNull();
        assertThat(bind("list")).isNull();
    }
}
