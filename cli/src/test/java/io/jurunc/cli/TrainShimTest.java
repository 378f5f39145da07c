package io.jurunc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim daemon's AOT-cache training, run as make-dist.sh runs it (its own JVM, {@code jurunc.home},
 * {@code jurunc.train.netns}, a private {@code JURUNC_NODE_SOCKET}): both of its steps run through (the
 * daemon's start-up and refusals; a microVM's create, start, kill, wait and delete through the task API) and
 * it leaves no container, tap, monitor, socket or temporary file behind. A step that cannot run is reported
 * by name and the training still ends well.
 */
class TrainShimTest {
    @TempDir
    Path tmp;

    String netns;

    @AfterEach
    void cleanup() throws Exception {
        if (netns != null) SpawnPathTest.sh("ip netns del " + netns);
    }

    record Result(int rc, String err) {}

    private Result train(Map<String, String> env, List<String> properties) throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + javaTmp));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainShim.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JURUNC_NODE_SOCKET");
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertThat(left).as("the training's temporary directory is removed").isEmpty();
        }
        return new Result(p.exitValue(), err);
    }

    @Test
    void trainsTheDaemonAndAMicroVmsLifecycleAndLeavesNothingBehind() throws Exception {
        assumeTrue(SpawnPathTest.isRoot(), "needs root for the sandbox helper and a network namespace");
        netns = "jts" + ProcessHandle.current().pid() % 100000;
        SpawnPathTest.sh("ip netns add " + netns);
        SpawnPathTest.sh("ip -n " + netns + " link add jt0 type veth peer name jt1");
        SpawnPathTest.sh("ip -n " + netns + " addr add 10.254.253.2/24 dev jt0");
        SpawnPathTest.sh("ip -n " + netns + " link set jt0 up");
        SpawnPathTest.sh("ip -n " + netns + " link set jt1 up");
        SpawnPathTest.sh("ip -n " + netns + " route add default via 10.254.253.1");
        Path home = Files.createDirectories(tmp.resolve("home/libexec"));
        Files.move(SandboxHelperBuild.helper(tmp), home.resolve("jurunc-sandbox"));
        Path cliSocket = tmp.resolve("node/cli.sock");

        Result r = train(
                Map.of("JURUNC_NODE_SOCKET", cliSocket.toString()),
                List.of("-Djurunc.home=" + home.getParent(), "-Djurunc.train.netns=/var/run/netns/" + netns));

        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("train-shim: done [daemon start-up and its refusals (")
                .contains("a microVM's lifecycle through the task API (")
                .contains("created, started and deleted")
                .doesNotContain("not trained");
        assertThat(cliSocket).as("the CLI's node socket of the trained daemon").doesNotExist();
        assertThat(SpawnPathTest.sh("ip -n " + netns + " -o link show")).doesNotContain("jrtap");
        assertThat(SpawnPathTest.sh("ps -eo args")).doesNotContain("jurunc-train-shim");
    }

    @Test
    void stepsThatCannotRunAreReportedAndTheTrainingStillEndsWell() throws Exception {
        // no JURUNC_NODE_SOCKET: the daemon would serve the CLI on the host's socket; no jurunc.home: no
        // sandbox helper for the microVM's monitor
        Result r = train(Map.of(), List.of());

        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err())
                .contains("train-shim: not trained: daemon start-up and its refusals: ")
                .contains("JURUNC_NODE_SOCKET is not set")
                .contains("train-shim: not trained: a microVM's lifecycle through the task API: ");
    }
}
