package io.jurunc.builder.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback front for the real registry that demands auth: either Basic, or Bearer tokens from its
 * own {@code /token} endpoint (which wants Basic credentials). It records the requests it saw.
 */
final class AuthProxy implements AutoCloseable {
    enum Mode {
        BASIC,
        BEARER
    }

    static final String USER = "builder";
    static final String PASSWORD = "s3cret";
    static final String TOKEN = "tok-123";
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String upstream;
    private final Mode mode;

    AuthProxy(String upstreamHost, Mode mode) throws IOException {
        this.upstream = "http://" + upstreamHost;
        this.mode = mode;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private void handle(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().toString();
        seen.add(ex.getRequestMethod() + " " + path + (auth == null ? "" : " [" + auth.split(" ")[0] + "]"));
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.startsWith("/token")) {
            if (!basic().equals(auth)) {
                reply(ex, 401, new byte[0]);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            reply(ex, 200, ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String wanted = mode == Mode.BASIC ? basic() : "Bearer " + TOKEN;
        if (!wanted.equals(auth)) {
            ex.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            mode == Mode.BASIC
                                    ? "Basic realm=\"test\""
                                    : "Bearer realm=\"http://" + host()
                                            + "/token\",service=\"test-registry\",scope=\"repository:x:pull\"");
            reply(ex, 401, new byte[0]);
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path))
                .method(
                        ex.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : Set.of("Content-Type", "Accept")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        try {
            HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.headers().map().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("content-length")
                        && !k.equalsIgnoreCase("transfer-encoding")
                        && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            byte[] data;
            try (InputStream in = r.body()) {
                data = in.readAllBytes();
            }
            reply(ex, r.statusCode(), ex.getRequestMethod().equals("HEAD") ? null : data);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 502, new byte[0]);
        }
    }

    private static void reply(HttpExchange ex, int code, byte[] data) throws IOException {
        ex.sendResponseHeaders(code, data == null || data.length == 0 ? -1 : data.length);
        if (data != null && data.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(data);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
