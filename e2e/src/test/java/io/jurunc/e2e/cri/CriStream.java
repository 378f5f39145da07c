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
 * subprotocol. Each binary message starts with its channel: 0 stdin, 1 stdout, 2 stderr, 3 the error channel
 * (v4: a {@code metav1.Status} as JSON once the command ended; its exit code, when not 0, in
 * {@code details.causes[reason=ExitCode].message}), 4 the terminal's size.
 */
final class CriStream {
    static final String PROTOCOL = "v4.channel.k8s.io";

    /** What the stream carried: stdout, stderr and the command's exit code from the error channel. */
    record Result(String stdout, String stderr, int exitCode, String status) {}

    private CriStream() {}

    /** Opens {@code url} (http or ws) and collects the stream until the server closes it. */
    static Result run(String url, Duration timeout) throws IOException, InterruptedException {
        try (Session s = Session.open(url, timeout)) {
            return s.result(timeout);
        }
    }

    /**
     * An open stream that the test also writes to, as {@code kubectl exec -it} does: stdin (channel 0)
     * and terminal resizes (channel 4, {@code {"Width":W,"Height":H}}).
     */
    static final class Session implements AutoCloseable {
        private final URI uri;
        private final HttpClient client;
        private final WebSocket ws;
        private final ByteArrayOutputStream out;
        private final ByteArrayOutputStream err;
        private final ByteArrayOutputStream status;
        private final CompletableFuture<Void> closed;

        private Session(
                URI uri,
                HttpClient client,
                WebSocket ws,
                ByteArrayOutputStream out,
                ByteArrayOutputStream err,
                ByteArrayOutputStream status,
                CompletableFuture<Void> closed) {
            this.uri = uri;
            this.client = client;
            this.ws = ws;
            this.out = out;
            this.err = err;
            this.status = status;
            this.closed = closed;
        }

        static Session open(String url, Duration timeout) throws IOException, InterruptedException {
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
                            if (to != null) {
                                synchronized (to) {
                                    to.write(m, 1, m.length - 1);
                                }
                            }
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
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            try {
                WebSocket ws = client.newWebSocketBuilder()
                        .subprotocols(PROTOCOL)
                        .buildAsync(uri, listener)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Session(uri, client, ws, out, err, status, closed);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                client.close();
                throw new IOException("the exec stream " + uri + " failed: " + e, e);
            }
        }

        /** Sends {@code data} on {@code channel} (0 stdin, 4 resize). */
        void send(int channel, byte[] data) throws IOException, InterruptedException {
            byte[] m = new byte[data.length + 1];
            m[0] = (byte) channel;
            System.arraycopy(data, 0, m, 1, data.length);
            try {
                ws.sendBinary(ByteBuffer.wrap(m), true).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("sending on channel " + channel + " of " + uri + " failed: " + e, e);
            }
        }

        void stdin(String text) throws IOException, InterruptedException {
            send(0, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The terminal's new size, as kubectl sends it when the window changes (and once at start). */
        void resize(int columns, int rows) throws IOException, InterruptedException {
            send(4, ("{\"Width\":" + columns + ",\"Height\":" + rows + "}").getBytes(StandardCharsets.UTF_8));
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        /** Waits until stdout shows {@code text}; false if the stream closed or the time ran out first. */
        boolean awaitStdout(String text, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!stdout().contains(text)) {
                if (closed.isDone() || System.nanoTime() > end) return stdout().contains(text);
                Thread.sleep(50);
            }
            return true;
        }

        /** Waits for the server to close the stream, then gives what it carried. */
        Result result(Duration timeout) throws IOException, InterruptedException {
            try {
                closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException(
                        "the exec stream " + uri + " failed: " + e + "; stdout so far: '" + stdout() + "'", e);
            }
            String s = status.toString(StandardCharsets.UTF_8);
            return new Result(stdout(), err.toString(StandardCharsets.UTF_8), exitCode(s), s);
        }

        @Override
        public void close() {
            ws.abort();
            client.close();
        }
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
