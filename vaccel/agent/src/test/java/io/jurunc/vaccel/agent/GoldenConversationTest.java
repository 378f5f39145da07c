package io.jurunc.vaccel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jurunc.ttrpc.proto.Response;
import io.jurunc.vaccel.VaccelConfig;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays {@code golden/agent-conversation.txt} (payloads hand-encoded from vAccel's .proto files) against
 * a fresh agent, under each service name, and compares every answer byte for byte.
 */
class GoldenConversationTest {
    @TempDir
    Path tmp;

    record Step(int line, String method, byte[] request, byte[] response, int code, int errno, String message) {}

    @ParameterizedTest
    @ValueSource(strings = {AgentProtocol.SERVICE, AgentProtocol.ASYNC_SERVICE})
    void everyMethodAnswersTheGoldenBytes(String service) throws Exception {
        List<Step> steps = load(service);
        assertThat(steps)
                .extracting(Step::method)
                .contains(
                        "CreateSession",
                        "UpdateSession",
                        "DestroySession",
                        "RegisterResource",
                        "UnregisterResource",
                        "SyncResource",
                        "ImageClassification",
                        "Genop",
                        "TensorflowModelLoad",
                        "TensorflowModelUnload",
                        "TensorflowModelRun",
                        "TensorflowLiteModelLoad",
                        "TensorflowLiteModelUnload",
                        "TensorflowLiteModelRun",
                        "TorchModelLoad",
                        "TorchModelRun",
                        "GetProfiler");
        try (AgentFixture f = AgentFixture.start("tcp", tmp, VaccelConfig.of("noop"), List.of(), 1 << 30);
                RawTtrpc c = new RawTtrpc(
                        ((InetSocketAddress) f.agent.localAddresses().getFirst()).getPort())) {
            for (Step s : steps) {
                int stream = c.requestRaw(io.jurunc.ttrpc.proto.Request.newBuilder()
                        .setService(service)
                        .setMethod(s.method())
                        .setPayload(com.google.protobuf.ByteString.copyFrom(s.request()))
                        .build()
                        .toByteArray());
                Object[] answer = c.response();
                assertThat(answer[0]).isEqualTo(stream);
                Response r = (Response) answer[1];
                String where = "line " + s.line() + " (" + s.method() + ")";
                assertThat(r.getStatus().getCode())
                        .as(where + ": " + r.getStatus().getMessage())
                        .isEqualTo(s.code());
                if (s.code() == 0) {
                    assertThat(HexFormat.of().formatHex(r.getPayload().toByteArray()))
                            .as(where)
                            .isEqualTo(HexFormat.of().formatHex(s.response()));
                    continue;
                }
                if (s.errno() > 0) {
                    assertThat(r.getStatus().getDetailsList())
                            .as(where)
                            .singleElement()
                            .satisfies(d -> {
                                assertThat(d.getTypeUrl()).isEqualTo("type.googleapis.com/vaccel.ProtoError");
                                // vaccel.Error{type=FFI(0) omitted, ffi_error=N}: 10 N
                                assertThat(HexFormat.of().formatHex(d.getValue().toByteArray()))
                                        .isEqualTo(HexFormat.of().formatHex(new byte[] {0x10, (byte) s.errno()}));
                            });
                }
                if (s.message() != null) {
                    assertThat(r.getStatus().getMessage()).as(where).isEqualTo(s.message());
                }
            }
        }
    }

    private static List<Step> load(String service) throws IOException {
        List<Step> out = new ArrayList<>();
        String method = null;
        byte[] request = null;
        int n = 0;
        try (InputStream in = GoldenConversationTest.class.getResourceAsStream("/golden/agent-conversation.txt")) {
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                n++;
                String line = raw.strip().replace("${service}", service);
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] kw = line.split("\\s+", 2);
                String rest = kw.length > 1 ? kw[1] : "";
                switch (kw[0]) {
                    case "call" -> method = rest;
                    case "req" -> request = bytes(rest);
                    case "resp" -> out.add(new Step(n, method, request, bytes(rest), 0, 0, null));
                    case "error" -> {
                        Matcher m = Pattern.compile("(\\d+)(?: errno (\\d+))?(?: \"(.*)\")?")
                                .matcher(rest);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("line " + n + ": bad error line");
                        }
                        out.add(new Step(
                                n,
                                method,
                                request,
                                null,
                                Integer.parseInt(m.group(1)),
                                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                                m.group(3)));
                    }
                    default -> throw new IllegalArgumentException("line " + n + ": unknown keyword " + kw[0]);
                }
            }
        }
        return out;
    }

    /** hex pairs, "text", and XX*N. */
    static byte[] bytes(String spec) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Matcher m = Pattern.compile("\"([^\"]*)\"|([0-9a-fA-F]{2})\\*(\\d+)|([0-9a-fA-F]{2})|(\\S+)")
                .matcher(spec);
        while (m.find()) {
            if (m.group(1) != null) {
                b.writeBytes(m.group(1).getBytes(StandardCharsets.UTF_8));
            } else if (m.group(2) != null) {
                int v = Integer.parseInt(m.group(2), 16);
                for (int i = Integer.parseInt(m.group(3)); i > 0; i--) {
                    b.write(v);
                }
            } else if (m.group(4) != null) {
                b.write(Integer.parseInt(m.group(4), 16));
            } else {
                throw new IllegalArgumentException("bad byte token '" + m.group(5) + "'");
            }
        }
        return b.toByteArray();
    }
}
