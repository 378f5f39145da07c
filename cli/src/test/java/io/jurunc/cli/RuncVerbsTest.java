package io.jurunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.runtime.lifecycle.ResourceUpdate;
import io.jurunc.runtime.state.ContainerRecord;
import io.jurunc.runtime.state.ContainerStatus;
import io.jurunc.runtime.state.SandboxRecord;
import io.jurunc.runtime.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * runc's verbs beyond the lifecycle: the flags parse as runc's do, runc's containers reach runc with the
 * very same argv (a fake runc prints it), and a microVM gets a clear refusal with a non-zero exit. The CLI
 * runs as a child JVM ({@link Main} execs runc, which must not replace the test's JVM).
 */
class RuncVerbsTest {
    @TempDir
    Path tmp;

    Path root;
    Path config;
    Process vm; // stands for a running monitor

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("root");
        Path runc = tmp.resolve("fake-runc");
        Files.writeString(runc, "#!/bin/sh\necho \"runc-argv: $*\"\nexit 7\n");
        runc.toFile().setExecutable(true);
        config = tmp.resolve("config.toml");
        Files.writeString(config, "[runtime]\nrunc = \"" + runc + "\"\n");
        vm = new ProcessBuilder("sleep", "300").start();
        new StateStore(root).createDir(new io.jurunc.runtime.state.ContainerId("vm1"));
        new StateStore(root)
                .save(ContainerRecord.creating("1.0.2", "vm1", tmp.toString(), "2026-12-02T00:00:00Z", Map.of(), null)
                        .withWaiter(vm.pid(), 0, null)
                        .withStatus(ContainerStatus.RUNNING)
                        .planned(null, List.of("/usr/bin/qemu"), List.of())
                        .withSandbox(new SandboxRecord(1000, 1000, List.of(), false, List.of())));
    }

    @AfterEach
    void tearDown() throws Exception {
        vm.destroyForcibly();
        vm.waitFor(10, TimeUnit.SECONDS);
    }

    private record Result(int code, String out) {}

    private Result jurunc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("JURUNC_CONFIG", config.toString());
        pb.environment().remove(RuncHandover.GUARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void runcsContainersGetEveryVerbWithTheSameArgv() throws Exception {
        for (String[] args : List.of(
                new String[] {
                    "--root",
                    root.toString(),
                    "exec",
                    "-d",
                    "--pid-file",
                    "/p",
                    "-e",
                    "A=1",
                    "plain",
                    "sh",
                    "-c",
                    "echo hi"
                },
                new String[] {"--root", root.toString(), "pause", "plain"},
                new String[] {"--root", root.toString(), "resume", "plain"},
                new String[] {"--root", root.toString(), "update", "--memory", "512m", "--pids-limit", "10", "plain"},
                new String[] {"--root", root.toString(), "events", "--stats", "plain"},
                new String[] {"--root", root.toString(), "checkpoint", "--leave-running", "--image-path", "/i", "plain"
                },
                new String[] {"--root", root.toString(), "ps", "plain"})) {
            Result res = jurunc(args);
            assertThat(res.code()).as(String.join(" ", args)).isEqualTo(7);
            assertThat(res.out()).contains("runc-argv: " + String.join(" ", args));
        }
    }

    @Test
    void aMicroVmRefusesExecCheckpointAndWhatCannotChangeWithANonZeroExit() throws Exception {
        Result exec = jurunc("--root", root.toString(), "exec", "-t", "vm1", "sh");
        assertThat(exec.code()).isEqualTo(1);
        assertThat(exec.out()).contains("has no exec channel").doesNotContain("runc-argv");
        Result cp = jurunc("--root", root.toString(), "checkpoint", "vm1");
        assertThat(cp.code()).isEqualTo(1);
        assertThat(cp.out()).contains(CheckpointCommand.REFUSAL);
        Result update = jurunc("--root", root.toString(), "update", "--cpuset-cpus", "0-1", "vm1");
        assertThat(update.code()).isEqualTo(1);
        assertThat(update.out()).contains("cpu.cpus", "fixed at boot");
        Result pause = jurunc("--root", root.toString(), "pause", "vm1"); // no cgroup, no QMP socket
        assertThat(pause.code()).isEqualTo(1);
        assertThat(pause.out()).contains("cannot pause 'vm1'");
        Result resume = jurunc("--root", root.toString(), "resume", "vm1");
        assertThat(resume.code()).isEqualTo(1);
        assertThat(resume.out()).contains("container not paused");
        Result ps = jurunc("--root", root.toString(), "ps", "--format", "json", "vm1");
        assertThat(ps.code()).isZero();
        assertThat(ps.out().strip()).isEqualTo("[" + vm.pid() + "]");
    }

    @Test
    void runcsFlagsParse() throws Exception {
        var exec = new ExecCommand();
        new CommandLine(exec)
                .setStopAtPositional(true)
                .parseArgs(
                        "--console-socket",
                        "/s",
                        "--cwd",
                        "/w",
                        "-e",
                        "A=1",
                        "-e",
                        "B=2",
                        "-t",
                        "-u",
                        "1:1",
                        "-g",
                        "5",
                        "-p",
                        "/proc.json",
                        "-d",
                        "--pid-file",
                        "/p",
                        "--cap",
                        "CAP_X",
                        "--preserve-fds",
                        "2",
                        "--ignore-paused",
                        "id1",
                        "sh",
                        "-c",
                        "ls -l");
        assertThat(exec.id).isEqualTo("id1");
        assertThat(exec.command).containsExactly("sh", "-c", "ls -l");
        assertThat(exec.env).containsExactly("A=1", "B=2");
        var restore = new RestoreCommand();
        new CommandLine(restore)
                .parseArgs("--image-path", "/i", "-b", "/b", "-d", "--pid-file", "/p", "--no-pivot", "r1");
        assertThat(restore.bundle).isEqualTo(Path.of("/b"));
        var events = new EventsCommand();
        new CommandLine(events).parseArgs("--interval", "500ms", "e1");
        assertThat(EventsCommand.duration(events.interval)).isEqualTo(Duration.ofMillis(500));
        assertThat(EventsCommand.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> EventsCommand.duration("5")).isInstanceOf(JuruncCommand.UsageException.class);
        assertThatThrownBy(() -> EventsCommand.duration("0s")).isInstanceOf(JuruncCommand.UsageException.class);
    }

    @Test
    void updateFlagsBecomeLinuxResourcesAsRuncReadsThem() throws Exception {
        var u = new UpdateCommand();
        new CommandLine(u)
                .parseArgs(
                        "--memory",
                        "512m",
                        "--memory-swap",
                        "-1",
                        "--cpu-quota",
                        "50000",
                        "--cpu-period",
                        "100000",
                        "--cpu-share",
                        "512",
                        "--pids-limit",
                        "64",
                        "u1");
        ResourceUpdate r = u.request();
        assertThat(r.memoryLimit()).hasValue(512L << 20);
        assertThat(r.memorySwap()).hasValue(-1);
        assertThat(r.cpuQuota()).hasValue(50000);
        assertThat(r.cpuPeriod()).hasValue(100000);
        assertThat(r.cpuShares()).hasValue(512);
        assertThat(r.pidsLimit()).hasValue(64);
        assertThat(r.unsupported()).isEmpty();
        assertThat(UpdateCommand.bytes("--memory", "1g")).isEqualTo(1L << 30);
        assertThat(UpdateCommand.bytes("--memory", "1.5GiB")).isEqualTo(3L << 29);
        assertThat(UpdateCommand.bytes("--memory", "4096")).isEqualTo(4096);
        assertThatThrownBy(() -> UpdateCommand.bytes("--memory", "lots"))
                .isInstanceOf(JuruncCommand.UsageException.class);
        Path json = tmp.resolve("r.json");
        Files.writeString(json, "{\"cpu\":{\"cpus\":\"0\"}}");
        var file = new UpdateCommand();
        new CommandLine(file).parseArgs("-r", json.toString(), "--memory", "1g", "u1");
        assertThat(file.request().cpusetCpus()).hasValue("0");
        assertThat(file.request().memoryLimit()).isEmpty(); // with --resources the flags are ignored, as runc does
    }
}
