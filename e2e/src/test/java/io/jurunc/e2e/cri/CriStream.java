package io.jurunc.e2e.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The client end of the CRI's streaming Exec, as {@code kubectl exec} reaches it through a kubelet: the
 * URL the Exec call returned, opened as a WebSocket with Kubernetes' {@code v4.channel.k8s.io}
 * subprotocol. Each binary message starts with its channel: 1 stdout, 2 stderr, 3 the error channel
 * (v4: a {@code metav1.Status} as JSON once the command ended; its exit code, when not 0, in
 * {@code details.causes[reason=ExitCode].message}).
 */
final class CriStream {
    static final String PROTOCOL = "v4.channel.k8s.io";

    /** What the stream carried: stdout, stderr and the command's exit code from the error channel. */
    record Result(String stdout, String stderr, int exitCode, String status) {}

    private CriStream() {}

    /** Opens {@code url} (http or ws) and collects the stream until the server closes it. */
    static Result run(String url, Duration timeout) throws IOException, InterruptedException {
        URI uri = URI.create(url.replaceFirst("^http", "ws"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                message.writeBytes(b);
                if (last) {
                    byte[] m = message.toByteArray();
                    message.reset();
                    if (m.length > 0) {
                        ByteArrayOutputStream to = switch (m[0]) {
                            case 1 -> out;
                            case 2 -> err;
                            case 3 -> status;
                            default -> null;
                        };
                        if (to != null) to.write(m, 1, m.length - 1);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            client.newWebSocketBuilder()
                    .subprotocols(PROTOCOL)
                    .buildAsync(uri, listener)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the exec stream " + uri + " failed: " + e, e);
        }
        String s = status.toString(StandardCharsets.UTF_8);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exitCode(s), s);
    }

    /** 0 for {@code "status":"Success"}, else the ExitCode cause's message; -1 when the status says neither. */
    static int exitCode(String status) throws IOException {
        if (status.isBlank()) return -1;
        JsonNode n = new ObjectMapper().readTree(status);
        if ("Success".equals(n.path("status").asText())) return 0;
        for (JsonNode cause : n.path("details").path("causes")) {
            if ("ExitCode".equals(cause.path("reason").asText())) {
                return Integer.parseInt(cause.path("message").asText());
            }
        }
        return -1;
    }
}
