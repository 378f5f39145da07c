package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.ttrpc.TtrpcClient;
import io.jurunc.ttrpc.TtrpcStatusException;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.proto.SessionProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agent's cap on concurrent client connections ({@code --max-connections}) and the vsock CID flag. */
class AgentConnectionLimitTest {
    @TempDir
    Path dir;

    private static long createSession(TtrpcClient c) throws Exception {
        return c.call(
                        AgentProtocol.SERVICE,
                        AgentProtocol.CREATE_SESSION,
                        SessionProto.CreateRequest.newBuilder().setFlags(0).build(),
                        SessionProto.CreateResponse.parser())
                .getSessionId();
    }

    @Test
    void aConnectionBeyondTheCapIsAnsweredResourceExhaustedAndClosedWhileTheOthersKeepServing() throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (Vaccel host = Vaccel.bootstrap(VaccelConfig.of("noop"), List.of(new NoopPlugin()));
                Agent agent = Agent.start(
                        host,
                        List.of(new TtrpcAddress.Unix(socket)),
                        false,
                        1 << 20,
                        AgentPolicy.DEFAULT.withMaxConnections(2))) {
            TtrpcClient a = TtrpcClient.connect("unix://" + socket);
            try (TtrpcClient b = TtrpcClient.connect("unix://" + socket)) {
                assertThat(createSession(a)).isPositive();
                assertThat(createSession(b)).isPositive();
                try (TtrpcClient c = TtrpcClient.connect("unix://" + socket)) {
                    assertThatThrownBy(() -> createSession(c)).isInstanceOfSatisfying(TtrpcStatusException.class, e -> {
                        assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
                        assertThat(e.statusMessage())
                                .isEqualTo("too many connections: 2 open, the server's limit is 2");
                    });
                }
                assertThat(createSession(b)).isPositive();
                a.close();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (agent.clientCount() > 1 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                try (TtrpcClient d = TtrpcClient.connect("unix://" + socket)) {
                    assertThat(createSession(d))
                            .as("a slot freed by a client leaving is reused")
                            .isPositive();
                }
            }
        }
    }

    @Test
    void theCapAndTheCidAllowListAreCheckedOptions() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("--max-connections", "0", "--vaccel-config", "plugins=noop"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--max-connections must be positive");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("--allow-cid", "4294967296", "--vaccel-config", "plugins=noop"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--allow-cid 4294967296: a vsock CID is 0..4294967295");
        assertThat(AgentPolicy.DEFAULT.maxConnections()).isEqualTo(AgentPolicy.DEFAULT_MAX_CONNECTIONS);
        assertThat(AgentPolicy.DEFAULT
                        .withAllowedCids(java.util.Set.of(3L, 4294967294L))
                        .allowedCids())
                .containsExactlyInAnyOrder(3L, 4294967294L);
        assertThatThrownBy(() -> AgentPolicy.DEFAULT.withMaxConnections(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
