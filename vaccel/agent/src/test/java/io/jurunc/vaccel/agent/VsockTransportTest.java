package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.PluginType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.noop.NoopPlugin;
import io.jurunc.vaccel.rpc.RpcPlugin;
import io.jurunc.vaccel.rpc.common.Transports;
import io.jurunc.vaccel.rpc.common.Vsock;
import io.jurunc.vaccel.rpc.common.VsockConnection;
import io.jurunc.vaccel.rpc.common.VsockListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * vsock through FFM. Binding and listening are tested wherever /dev/vsock exists; a full round trip needs
 * the kernel's loopback transport (CID 1, vsock_loopback), and is skipped with the kernel's answer when
 * it is missing.
 */
class VsockTransportTest {
    private static int port() {
        return 20000 + ThreadLocalRandom.current().nextInt(20000);
    }

    @Test
    void listenerBindsAcceptsAreClosableAndReportItsAddress() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/vsock")), "no /dev/vsock on this machine");
        int port = port();
        VsockListener l;
        try {
            l = VsockListener.bind(Vsock.CID_ANY, port);
        } catch (IOException e) {
            assumeTrue(false, "the kernel refused an AF_VSOCK listener: " + e.getMessage());
            return;
        }
        assertThat(l.localAddress().toString()).isEqualTo("vsock://4294967295:" + port);
        Thread acceptor =
                Thread.ofVirtual().start(() -> assertThatThrownBy(l::accept).isInstanceOf(IOException.class));
        Thread.sleep(100);
        l.close();
        acceptor.join(5000);
        assertThat(acceptor.isAlive()).as("close unblocks accept").isFalse();
        assertThatThrownBy(() -> VsockListener.bind(-7, port))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("vsock bind");
    }

    @Test
    void agentRoundTripOverLoopbackVsock() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/vsock")), "no /dev/vsock on this machine");
        int port = port();
        try (Vaccel host = Vaccel.bootstrap(VaccelConfig.of("noop"), List.of(new NoopPlugin()));
                Agent agent = Agent.start(host, List.of(Transports.parse("VSOCK://4294967295:" + port)), false)) {
            assertThat(agent.localAddresses().getFirst().toString()).endsWith(":" + port);
            try (VsockConnection probe = VsockConnection.connect(Vsock.CID_LOCAL, port, 2000)) {
                assertThat(probe.isOpen()).isTrue();
            } catch (IOException e) {
                assumeTrue(false, "no vsock loopback transport (CID 1) in this kernel: " + e.getMessage());
            }
            Map<String, String> env = Map.of("VACCEL_RPC_ADDRESS", "vsock://1:" + port);
            try (Vaccel client = Vaccel.bootstrap(VaccelConfig.of("rpc").withEnv(env), List.of(new RpcPlugin()));
                    Session s = client.createSession(PluginType.REMOTE)) {
                s.noop();
                assertThat(s.classify(new byte[] {1}).tags()).isEqualTo(NoopPlugin.DUMMY_TAGS);
            }
        }
    }

    @Test
    void addressesAreParsedCaseInsensitively() {
        assertThat(Transports.parse("VSOCK://2:2048")).isEqualTo(new TtrpcAddress.Vsock(2, 2048));
        assertThat(Transports.parse("Unix:///tmp/a.sock")).isEqualTo(new TtrpcAddress.Unix(Path.of("/tmp/a.sock")));
        assertThatThrownBy(() -> Transports.parse("http://x:1")).hasMessageContaining("Unsupported protocol");
        assertThatThrownBy(() -> Transports.parse("localhost:1")).hasMessageContaining("Unsupported protocol");
    }
}
