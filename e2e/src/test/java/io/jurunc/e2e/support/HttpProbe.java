package io.jurunc.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Polls an HTTP endpoint in a test network until it answers (any status), for services that take a VM
 * boot to come up. Before every attempt it checks that the host routes the target through the test
 * network's bridge, so that no request ever leaves the machine by the default route.
 */
public final class HttpProbe {

    /** The first answer and how long it took from the probe's start. */
    public record Answer(int status, String body, Duration waited, int attempts) {}

    private final RoutedNetwork network;
    private final HttpClient client;

    public HttpProbe(RoutedNetwork network) {
        this.network = network;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * GETs {@code uri} with {@code headers} every 200 ms until it answers or {@code limit} passes.
     *
     * @param stillWorthWaiting checked between attempts; returning false ends the wait early
     *                          (e.g. the ctr process exited)
     */
    public Answer await(
            URI uri,
            Map<String, String> headers,
            Duration limit,
            java.util.function.BooleanSupplier stillWorthWaiting) {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        int attempts = 0;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!network.routesViaBridge(uri.getHost())) {
                last = new IOException(uri.getHost() + " is not routed via bridge " + network.bridge() + " (yet)");
                if (!stillWorthWaiting.getAsBoolean()) {
                    break;
                }
                Waits.sleep(Duration.ofMillis(200));
                continue;
            }
            attempts++;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(3))
                        .GET();
                headers.forEach(b::header);
                HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - t0), attempts);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessException("interrupted while probing " + uri, e);
            }
            if (!stillWorthWaiting.getAsBoolean()) {
                break;
            }
            Waits.sleep(Duration.ofMillis(200));
        }
        throw new HarnessException("no HTTP answer from " + uri + " after " + attempts + " attempts in "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms; last error: " + last);
    }
}
