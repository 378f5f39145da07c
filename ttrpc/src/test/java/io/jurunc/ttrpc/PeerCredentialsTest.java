package io.jurunc.ttrpc;

import static io.jurunc.ttrpc.TtrpcAssert.echo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.StringValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SO_PEERCRED same-user listener: root passes, a client run as nobody (setpriv) is disconnected. */
class PeerCredentialsTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.settimeout(5)
            try:
                s.sendall(bytes.fromhex(sys.argv[2]))
                print("RESPONSE" if s.recv(10) else "EOF")
            except (BrokenPipeError, ConnectionResetError):
                print("EOF")
            """;

    private final CountDownLatch release = new CountDownLatch(1);
    private Path dir;
    private TtrpcServer server;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("ttrpc-peercred");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        server = TestServers.echo(release).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void sameUserIsServed() throws Exception {
        Path socket = dir.resolve("same.sock");
        server.serve(Listener.unixSameUser(socket));
        try (TtrpcClient client = TtrpcClient.connect(new TtrpcAddress.Unix(socket))) {
            assertThat(echo(client, "me")).isEqualTo("me");
        }
    }

    @Test
    void otherUserIsDisconnectedOnlyBySameUserListener() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as nobody");
        assumeTrue(Files.isExecutable(SETPRIV) && Files.isExecutable(PYTHON), "needs setpriv and python3");
        Path strict = dir.resolve("strict.sock");
        Path open = dir.resolve("open.sock");
        server.serve(Listener.unixSameUser(strict));
        server.serve(Listener.unix(open));
        for (Path s : new Path[] {strict, open}) {
            Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rw-rw-rw-"));
        }

        assertThat(runAsNobody(open)).isEqualTo("RESPONSE");
        assertThat(runAsNobody(strict)).isEqualTo("EOF");
    }

    private static String runAsNobody(Path socket) throws Exception {
        byte[] request = Envelopes.request(
                        TestServers.SERVICE, "Echo", StringValue.of("x").toByteArray(), CallOptions.none())
                .toByteArray();
        String frameHex = HexFormat.of()
                .formatHex(FrameCodecTest.toArray(FrameWriter.encode(new Frame(1, MessageType.REQUEST, request))));
        Process p = new ProcessBuilder(
                        SETPRIV.toString(),
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        PYTHON.toString(),
                        "-c",
                        CLIENT,
                        socket.toString(),
                        frameHex)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
