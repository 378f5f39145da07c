package io.jurunc.cli.served;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node daemon's CLI service against a front written in Java: what it serves, hands over and refuses. */
class CliNodeServiceTest {
    @TempDir
    Path tmp;

    NodeDaemonUnderTest daemon;
    Path fakeRunc;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        daemon = new NodeDaemonUnderTest(tmp.resolve("node/cli.sock"), "/opt/jurunc-test-home");
        fakeRunc = tmp.resolve("fake-runc");
        Files.writeString(fakeRunc, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(fakeRunc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = tmp.resolve("config.toml");
        Files.writeString(config, "[runtime]\nrunc = \"" + fakeRunc + "\"\n");
        env = Map.of("JURUNC_CONFIG", config.toString(), "PATH", "/usr/bin:/bin", "FOO", "bar");
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    private FakeFront.Ending call(Map<String, String> env, String... args) throws IOException {
        return FakeFront.call(daemon.socket, daemon.home, tmp, env, List.of(args));
    }

    @Test
    void theSocketIsPrivateAndGoesWithTheDaemon() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(daemon.socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        daemon.close();
        assertThat(daemon.socket).doesNotExist();
    }

    @Test
    void aSecondDaemonLeavesAServedSocketAloneAndReplacesAStaleOne() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NodeDaemonUnderTest(daemon.socket, daemon.home))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("served by another daemon");
        daemon.close();
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(daemon.socket)); // a socket nobody accepts on any more
        }
        daemon = new NodeDaemonUnderTest(daemon.socket, daemon.home);
        assertThat(call(env, "delete", "--force", "nope").rc()).isZero();
    }

    @Test
    void aContainerThatIsNotOursIsHandedOverToRuncWithTheCallersEnvironment() throws Exception {
        Path runcRoot = Files.createDirectories(tmp.resolve("rel/c1"));
        Files.writeString(runcRoot.resolve("state.json"), "{}");
        // --root relative to the caller's directory, not the daemon's
        FakeFront.Ending e = call(env, "--root", "rel", "delete", "c1");
        assertThat(e.handOver()).containsExactly(fakeRunc.toString(), "--root", "rel", "delete", "c1");
        assertThat(e.handOverEnv()).contains("FOO=bar", "JURUNC_DELEGATED=1");
        assertThat(call(env, "--root", tmp.resolve("root").toString(), "state", "nope")
                        .handOver())
                .containsExactly(
                        fakeRunc.toString(), "--root", tmp.resolve("root").toString(), "state", "nope");
    }

    @Test
    void aHandOverLoopIsRefusedAsInTheJvm() throws Exception {
        Map<String, String> looped = new java.util.HashMap<>(env);
        looped.put("JURUNC_DELEGATED", "1");
        FakeFront.Ending e = call(looped, "state", "nope");
        assertThat(e.rc()).isEqualTo(1);
        assertThat(e.err()).contains("hand-over loop");
        assertThat(e.handOver()).isEmpty();
    }

    @Test
    void errorsAndExitCodesAreTheCallers() throws Exception {
        FakeFront.Ending missing = call(env, "--root", tmp.resolve("root").toString(), "delete", "nope");
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).startsWith("jurunc: ").contains("nope");
        assertThat(call(env, "--root", tmp.resolve("root").toString(), "delete", "-f", "nope")
                        .rc())
                .isZero();
        Path log = tmp.resolve("log.json");
        FakeFront.Ending logged = call(env, "--log", "log.json", "--log-format", "json", "--root", "r", "delete", "x");
        assertThat(logged.rc()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("\"level\":\"error\"").contains("x");
    }

    @Test
    void whatTheDaemonDoesNotServeFallsBackBeforeAnythingHappens() throws Exception {
        assertThat(call(env, "list").fellBack()).isTrue();
        assertThat(call(env, "--help").fellBack()).isTrue();
        assertThat(call(env, "state").fellBack()).isTrue(); // picocli reports the missing id
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        assertThat(call(env, "create", "--preserve-fds", "1", "-b", bundle.toString(), "c")
                        .fellBack())
                .isTrue();
        assertThat(FakeFront.call(daemon.socket, "/another/home", tmp, env, List.of("state", "x"))
                        .fellBack())
                .isTrue();
        Map<String, String> relative = Map.of("JURUNC_CONFIG", "config.toml");
        assertThat(call(relative, "state", "x").fellBack()).isTrue();
        assertThat(tmp.resolve("bundle")).isEmptyDirectory();
    }

    @Test
    void aBrokenFrontDoesNotStopTheService() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
            Frames.write(ch, (byte) 'Z', new byte[] {1, 2, 3});
            assertThat(ch.read(java.nio.ByteBuffer.allocate(16))).isEqualTo(-1); // closed on us
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket))) {
            Frames.writeStrings(ch, Frames.REQUEST, List.of("1", daemon.home, "relative"));
            assertThat(ch.read(java.nio.ByteBuffer.allocate(16))).isEqualTo(-1);
        }
        assertThat(call(env, "delete", "--force", "nope").rc()).isZero();
        assertThat(daemon.log).anyMatch(l -> l.startsWith("cli: "));
    }
}
