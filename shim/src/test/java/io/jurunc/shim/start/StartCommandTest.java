package io.jurunc.shim.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jurunc.shim.cmdline.ShimFlags;
import io.jurunc.shim.proto.bootstrap.BootstrapParams;
import io.jurunc.shim.proto.bootstrap.BootstrapResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartCommandTest {
    @TempDir
    Path tmp;

    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<List<String>> launches = new ArrayList<>();

    /** A launcher that "starts a daemon" by binding the socket named in -socket. */
    private final DaemonLauncher binding = (args, cwd) -> {
        launches.add(args);
        Path socket = Path.of(args.get(args.indexOf("-socket") + 1));
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        listeners.add(ch);
        return new ProcessBuilder("sleep", "5").start();
    };

    @AfterEach
    void close() throws IOException {
        for (ServerSocketChannel l : listeners) {
            l.close();
        }
    }

    private Path bundle(String annotationsJson) throws IOException {
        Path b = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(
                b.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"annotations\":" + annotationsJson + "}");
        return b;
    }

    private byte[] params(String id) {
        return BootstrapParams.newBuilder()
                .setInstanceId(id)
                .setNamespace("k8s.io")
                .setSocketDir(tmp.resolve("s").toString())
                .build()
                .toByteArray();
    }

    private static final Map<String, String> POD = Map.of(GroupingId.SCOPE_ENV, "pod");

    private static ShimFlags flags(String id) throws Exception {
        return ShimFlags.parse(List.of("-namespace", "k8s.io", "-address", "/run/c.sock", "-id", id, "start"));
    }

    @Test
    void startsOneDaemonPerSandboxAndReusesIt() throws Exception {
        Path b = bundle("{\"io.kubernetes.cri.sandbox-id\":\"sb1\"}");
        StartCommand start = new StartCommand(binding);
        BootstrapResult first = BootstrapResult.parseFrom(start.run(flags("c1"), params("c1"), b, POD));
        BootstrapResult second = BootstrapResult.parseFrom(start.run(flags("c2"), params("c2"), b, POD));
        assertThat(second.getAddress()).isEqualTo(first.getAddress());
        assertThat(first.getAddress())
                .isEqualTo(SocketAddress.derive(tmp.resolve("s"), "/run/c.sock", "k8s.io", "sb1")
                        .uri());
        assertThat(launches).hasSize(1);
        assertThat(launches.getFirst()).containsSubsequence("-namespace", "k8s.io", "-id", "sb1");
        assertThat(Files.readString(b.resolve("address"))).isEqualTo(first.getAddress());
    }

    @Test
    void containersWithoutGroupGetTheirOwnDaemon() throws Exception {
        Path b = bundle("{}");
        StartCommand start = new StartCommand(binding);
        start.run(flags("c1"), params("c1"), b, POD);
        start.run(flags("c2"), params("c2"), b, POD);
        assertThat(launches).hasSize(2);
    }

    @Test
    void aDaemonThatDiesIsReported() throws Exception {
        Path b = bundle("{}");
        StartCommand start = new StartCommand((args, cwd) -> new ProcessBuilder("false").start());
        assertThatThrownBy(() -> start.run(flags("c1"), params("c1"), b, POD))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("exited with status 1");
    }

    @Test
    void aLockFileRemovedByAnExitingDaemonIsRetaken() throws Exception {
        Path b = bundle("{}");
        StartCommand start = new StartCommand(binding);
        start.run(flags("c1"), params("c1"), b, POD);
        Path socket = SocketAddress.derive(tmp.resolve("s"), "/run/c.sock", "k8s.io", "c1")
                .path();
        io.jurunc.shim.daemon.ShimDaemonAccess.removeSocketAndLock(socket);
        assertThat(StartCommand.lockFile(socket)).doesNotExist();
        assertThat(socket).doesNotExist();
        listeners.forEach(l -> {
            try {
                l.close();
            } catch (IOException ignored) {
                // test cleanup
            }
        });
        start.run(flags("c1"), params("c1"), b, POD);
        assertThat(launches).hasSize(2);
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path b = bundle("{}");
        Path socket = SocketAddress.derive(tmp.resolve("s"), "/run/c.sock", "k8s.io", "c1")
                .path();
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "stale");
        new StartCommand(binding).run(flags("c1"), params("c1"), b, POD);
        assertThat(launches).hasSize(1);
    }

    @Test
    void byDefaultOneNodeDaemonServesEveryContainerWhateverItsGroup() throws Exception {
        Path b = bundle("{\"io.kubernetes.cri.sandbox-id\":\"sb1\"}");
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"annotations\":{}}");
        StartCommand start = new StartCommand(binding);
        Map<String, String> env =
                Map.of(StartCommand.SOCKET_ROOT_ENV, tmp.resolve("s").toString());
        String first = new String(start.run(flags("c1"), new byte[0], b, env));
        String second = new String(start.run(flags("c2"), new byte[0], other, env));
        assertThat(second)
                .isEqualTo(first)
                .isEqualTo(SocketAddress.derive(tmp.resolve("s"), "/run/c.sock", "k8s.io", "jurunc-node")
                        .uri());
        assertThat(launches).hasSize(1);
        assertThat(launches.getFirst()).containsSubsequence("-id", "jurunc-node");
        assertThat(Files.readString(other.resolve("address"))).isEqualTo(first);
    }

    @Test
    void anInvalidScopeIsAClearError() throws Exception {
        Path b = bundle("{}");
        assertThatThrownBy(() -> new StartCommand(binding)
                        .run(flags("c1"), params("c1"), b, Map.of(GroupingId.SCOPE_ENV, "cluster")))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("node or pod");
        assertThat(launches).isEmpty();
    }

    @Test
    void aRelativeSocketRootIsRefused() throws Exception {
        Path b = bundle("{}");
        assertThatThrownBy(() -> new StartCommand(binding)
                        .run(flags("c1"), new byte[0], b, Map.of(StartCommand.SOCKET_ROOT_ENV, "run/s")))
                .isInstanceOf(StartException.class)
                .hasMessageContaining("absolute");
    }
}
