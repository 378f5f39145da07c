package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.RpcPlugin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code agent} command: option errors in-process, and a real agent process stopped with SIGTERM. */
class AgentCommandTest {
    @TempDir
    Path tmp;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void badAddressIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "-a", "http://127.0.0.1:1", "--vaccel-config", "plugins=noop"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("Unsupported protocol 'http'");
    }

    @Test
    void versionSaysWhatIsImplementedAndWhichUpstream() {
        CommandLine cl = new CommandLine(new AgentCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString())
                .contains("jurunc vaccel agent 0.7.1-93+jurunc.")
                .contains("vaccel-rust v0.5.0+vaccel.0.8.0");
    }

    @Test
    void theAgentConfinesTheExecPluginByDefault() {
        var none = AgentCommand.confineExec(io.jurunc.vaccel.VaccelConfig.of("exec"), java.util.List.of());
        assertThat(none.env()).containsEntry("VACCEL_EXEC_LIBRARY_DIRS", "");
        var some = AgentCommand.confineExec(
                io.jurunc.vaccel.VaccelConfig.of("exec"), java.util.List.of(Path.of("/opt/a"), Path.of("/opt/b")));
        assertThat(some.env()).containsEntry("VACCEL_EXEC_LIBRARY_DIRS", "/opt/a:/opt/b");
        var operator = io.jurunc.vaccel.VaccelConfig.of("exec")
                .withEnv(java.util.Map.of("VACCEL_EXEC_LIBRARY_DIRS", "/usr/lib"));
        assertThat(AgentCommand.confineExec(operator, java.util.List.of()).env())
                .containsEntry("VACCEL_EXEC_LIBRARY_DIRS", "/usr/lib");
    }

    @Test
    void tcpBeyondLoopbackNeedsAnExplicitFlag() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "-a", "tcp://0.0.0.0:65511", "--vaccel-config", "plugins=noop"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--allow-non-loopback-tcp");
        assertThat(AgentCommand.isLoopback("127.0.0.1")).isTrue();
        assertThat(AgentCommand.isLoopback("::1")).isTrue();
        assertThat(AgentCommand.isLoopback("0.0.0.0")).isFalse();
    }

    @Test
    void badVaccelConfigIsReported() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "-a", "unix://" + tmp.resolve("s"), "--vaccel-config", "plugins=noop,colour=red"))
                .isNotZero();
        assertThat(err.toString()).contains("unknown vaccel config key 'colour'");
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void servesUntilSigtermOnSeveralAddresses() throws Exception {
        Path sock = tmp.resolve("agent.sock");
        Path sock2 = tmp.resolve("agent2.sock");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp",
                System.getProperty("java.class.path"),
                AgentCommand.class.getName(),
                "-a",
                "unix://" + sock,
                "--server-address",
                "unix://" + sock2,
                "--vaccel-config",
                "plugins=noop");
        pb.environment().remove("VACCEL_PLUGINS");
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile());
        Process p = pb.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(sock) && Files.exists(sock2)) && System.nanoTime() < end && p.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(sock2).as(Files.readString(tmp.resolve("agent.log"))).exists();
            try (Vaccel v = Vaccel.bootstrap(
                            VaccelConfig.of("rpc").withEnv(Map.of("VACCEL_RPC_ADDRESS", "unix://" + sock2)),
                            List.of(new RpcPlugin()));
                    Session s = v.createSession(0)) {
                assertThat(s.classify(new byte[] {1}).tags()).isEqualTo(NoopPlugin.DUMMY_TAGS);
            }
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(sock).doesNotExist();
            assertThat(Files.readString(tmp.resolve("agent.log"))).contains("vaccel agent listening on");
        } finally {
            p.destroyForcibly();
        }
    }
}
