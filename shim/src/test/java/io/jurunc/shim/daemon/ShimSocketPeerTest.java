package io.jurunc.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.ttrpc.TtrpcServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's task socket serves only its own user (SO_PEERCRED), even when its mode is widened. */
class ShimSocketPeerTest {
    private static final String CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.settimeout(2)
            try:
                print("EOF" if s.recv(10) == b"" else "DATA")
            except socket.timeout:
                print("OPEN")
            except ConnectionResetError:
                print("EOF")
            """;

    @TempDir
    Path tmp;

    @Test
    void anotherUsersConnectionIsClosedAtOnce() throws Exception {
        // before: Listener.unix accepted any peer that could reach the socket (the check existed unused)
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as nobody");
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs setpriv and python3");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = tmp.resolve("shim.sock");
        try (TtrpcServer server = TtrpcServer.builder().build()) {
            server.serve(ShimDaemon.listen(socket));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                    .isEqualTo("rw-------");
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-")); // a widened mode
            Process p = new ProcessBuilder(
                            "/usr/bin/setpriv",
                            "--reuid=65534",
                            "--regid=65534",
                            "--clear-groups",
                            "/usr/bin/python3",
                            "-c",
                            CLIENT,
                            socket.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(out).isEqualTo("EOF");
        }
    }
}
