package io.jurunc.ttrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A real Go ttrpc client talking to our server: {@code ctr shim --id <id> state} dials
 * {@code /run/containerd/s/sha256(<address>/<namespace>/<id>)} and calls
 * {@code containerd.task.v2.Task/State}. Skipped without root or ctr.
 */
class GoClientInteropTest {
    private static final Path CTR = Path.of("/usr/bin/ctr");
    private static final Path SOCKET_DIR = Path.of("/run/containerd/s");

    @Test
    void ctrShimStateCallsOurServer() throws Exception {
        assumeTrue(Files.isExecutable(CTR), "ctr is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to bind in /run/containerd/s");
        String address = "/tmp/jurunc-ttrpc-interop-" + UUID.randomUUID() + ".sock";
        String namespace = "jurunc-ttrpc-test";
        String id = "c" + Long.toHexString(System.nanoTime());
        Path socket = SOCKET_DIR.resolve(sha256Hex(address + "/" + namespace + "/" + id));
        boolean createdDir = !Files.isDirectory(SOCKET_DIR);
        Files.createDirectories(SOCKET_DIR);

        AtomicReference<String> requestedId = new AtomicReference<>();
        try (TtrpcServer server = TtrpcServer.builder()
                .register("containerd.task.v2.Task", "State", (payload, ctx) -> {
                    requestedId.set(readStringField1(payload));
                    return stateResponse(requestedId.get(), "/jurunc/bundle", 4242);
                })
                .build()) {
            server.serve(Listener.unix(socket));

            Process ctr = new ProcessBuilder(
                            CTR.toString(), "--address", address, "--namespace", namespace, "shim", "--id", id, "state")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ctr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ctr.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(ctr.exitValue()).as(out).isZero();
            assertThat(requestedId.get()).isEqualTo(id);
            assertThat(out).contains("\"id\": \"" + id + "\"", "\"bundle\": \"/jurunc/bundle\"", "\"pid\": 4242");
        } finally {
            Files.deleteIfExists(socket);
            if (createdDir) {
                Files.deleteIfExists(SOCKET_DIR);
            }
        }
    }

    private static String readStringField1(byte[] payload) throws TtrpcException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(payload);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == (1 << 3 | 2)) {
                    return in.readString();
                }
                in.skipField(tag);
            }
            return "";
        } catch (IOException e) {
            throw new TtrpcException(StatusCode.INVALID_ARGUMENT, "bad StateRequest: " + e.getMessage());
        }
    }

    /** {@code StateResponse{id=1, bundle=2, pid=3}}. */
    private static byte[] stateResponse(String id, String bundle, int pid) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeString(1, id);
            out.writeString(2, bundle);
            out.writeUInt32(3, pid);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
