package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jurunc.ttrpc.TtrpcAddress;
import io.jurunc.vaccel.Vaccel;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.noop.NoopPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's unix sockets serve only its own user unless another is allowed (SO_PEERCRED). */
class AgentPeerCredentialsTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1].replace("@", chr(0), 1) if sys.argv[1].startswith("@") else sys.argv[1])
            s.settimeout(5)
            try:
                s.sendall(bytes.fromhex(sys.argv[2]))
                print("RESPONSE" if s.recv(10) else "EOF")
            except (BrokenPipeError, ConnectionResetError):
                print("EOF")
            """;

    @Test
    void anotherUserIsRefusedUnlessAllowed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a client as nobody");
        assumeTrue(Files.isExecutable(SETPRIV) && Files.isExecutable(PYTHON), "needs setpriv and python3");
        Path dir = Files.createTempDirectory("vaccel-peercred");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            assertThat(callAsNobody(dir, Set.of(), false)).isEqualTo("EOF");
            assertThat(callAsNobody(dir, Set.of("nobody"), false)).isEqualTo("RESPONSE");
            // the abstract namespace has no file permissions at all: the uid check is all there is
            assertThat(callAsNobody(dir, Set.of(), true)).isEqualTo("EOF");
            assertThat(callAsNobody(dir, Set.of("nobody"), true)).isEqualTo("RESPONSE");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String callAsNobody(Path dir, Set<String> allowed, boolean abstractName) throws Exception {
        Path socket = dir.resolve("agent.sock");
        String name = "jurunc-peercred-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        TtrpcAddress address = abstractName
                ? io.jurunc.vaccel.rpc.common.Transports.parse("unix://@" + name)
                : new TtrpcAddress.Unix(socket);
        try (Vaccel host = Vaccel.bootstrap(
                        VaccelConfig.of("noop").withEnv(Map.of("XDG_RUNTIME_DIR", dir.toString())),
                        List.of(new NoopPlugin()));
                Agent agent =
                        Agent.start(host, List.of(address), false, 1 << 20, new AgentPolicy(List.of(), allowed))) {
            if (!abstractName) {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            }
            // ttrpc frame: CreateSession on the sync service, hand-encoded
            byte[] req = new Pb()
                    .string(1, "vaccel.sync.agent.AgentService")
                    .string(2, "CreateSession")
                    .build();
            byte[] frame = new byte[10 + req.length];
            java.nio.ByteBuffer.wrap(frame)
                    .putInt(req.length)
                    .putInt(1)
                    .put((byte) 1)
                    .put((byte) 0)
                    .put(req);
            Process p = new ProcessBuilder(
                            SETPRIV.toString(),
                            "--reuid=65534",
                            "--regid=65534",
                            "--clear-groups",
                            PYTHON.toString(),
                            "-c",
                            CLIENT,
                            abstractName ? "@" + name : socket.toString(),
                            HexFormat.of().formatHex(frame))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return out;
        }
    }
}
