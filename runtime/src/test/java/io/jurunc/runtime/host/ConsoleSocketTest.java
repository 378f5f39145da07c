package io.jurunc.runtime.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSocketTest {
    @TempDir
    Path dir;

    @Test
    void sendsThePtyNameAndKeepsTheSlaveForTheContainer() throws Exception {
        Path sock = dir.resolve("console.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(256);
                    c.read(b);
                    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path slave = new LinuxHost().sendConsole(sock);
            assertThat(slave.toString()).startsWith("/dev/pts/");
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(slave.toString());
        }
    }

    @Test
    void aMissingSocketIsAClearError() {
        assertThatThrownBy(() -> new LinuxHost().sendConsole(dir.resolve("nobody.sock")))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("connect");
    }
}
