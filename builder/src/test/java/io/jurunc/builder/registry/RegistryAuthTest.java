package io.jurunc.builder.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jurunc.builder.RegistryException;
import io.jurunc.builder.image.ImageReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 11: where registry credentials may go. All traffic stays on 127.0.0.1. */
class RegistryAuthTest {
    @Test
    void bearerRealmMustBeHttpsUnlessLoopback() {
        assertThat(RegistryClient.checkRealm("https://auth.example/token", "r.example"))
                .hasHost("auth.example");
        assertThat(RegistryClient.checkRealm("http://127.0.0.1:5001/token", "127.0.0.1:5000"))
                .hasPort(5001);
        assertThat(RegistryClient.checkRealm("http://localhost/token", "localhost:5000"))
                .hasHost("localhost");
        assertThatThrownBy(() -> RegistryClient.checkRealm("http://auth.example/token", "r.example"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not https");
        assertThatThrownBy(() -> RegistryClient.checkRealm("ftp://auth.example/token", "r.example"))
                .isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> RegistryClient.checkRealm("file:///etc/passwd", "r.example"))
                .isInstanceOf(RegistryException.class);
    }

    @Test
    void aPlainHttpRealmIsRefusedBeforeAnyCredentialsAreSent() throws Exception {
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", ex -> {
            // the realm host is a documentation address: refusing it must happen before any connection
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://192.0.2.1/token\",service=\"x\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });
        registry.start();
        try {
            String host = "127.0.0.1:" + registry.getAddress().getPort();
            RegistryClient client = new RegistryClient(Credentials.fixed(new Credentials.UserPassword("u", "p")));
            assertThatThrownBy(() -> client.getManifest(ImageReference.parse(host + "/a/b:1")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("not https");
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void credentialsAreNotForwardedToARedirectTarget() throws Exception {
        List<String> seenByStorage = new CopyOnWriteArrayList<>();
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage.createContext("/", ex -> {
            seenByStorage.add(
                    ex.getRequestURI() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        storage.start();
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", ex -> {
            if (ex.getRequestHeaders().getFirst("Authorization") == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
                ex.sendResponseHeaders(401, -1);
            } else {
                ex.getResponseHeaders()
                        .add(
                                "Location",
                                "http://127.0.0.1:" + storage.getAddress().getPort() + "/stored");
                ex.sendResponseHeaders(307, -1);
            }
            ex.close();
        });
        registry.start();
        try {
            String host = "127.0.0.1:" + registry.getAddress().getPort();
            RegistryClient client = new RegistryClient(Credentials.fixed(new Credentials.UserPassword("u", "p")));
            assertThat(client.getManifest(ImageReference.parse(host + "/a/b:1")).bytes())
                    .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
            assertThat(seenByStorage).containsExactly("/stored auth=null");
        } finally {
            registry.stop(0);
            storage.stop(0);
        }
    }

    @Test
    void anOversizedManifestIsRefused() throws Exception {
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (var body = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    body.write(chunk);
                }
            } catch (java.io.IOException closedByClient) {
                // the client stops reading at the limit
            }
        });
        registry.start();
        try {
            RegistryClient client = new RegistryClient(Credentials.NONE);
            assertThatThrownBy(() -> client.getManifest(ImageReference.parse(
                            "127.0.0.1:" + registry.getAddress().getPort() + "/a/b:1")))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("larger than " + RegistryClient.MAX_MANIFEST);
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void sameOriginComparesSchemeHostAndPort() {
        assertThat(RegistryClient.sameOrigin(URI.create("https://a.example/x"), URI.create("https://a.example:443/y")))
                .isTrue();
        assertThat(RegistryClient.sameOrigin(URI.create("https://a.example/x"), URI.create("https://b.example/x")))
                .isFalse();
        assertThat(RegistryClient.sameOrigin(URI.create("http://127.0.0.1:1/x"), URI.create("http://127.0.0.1:2/x")))
                .isFalse();
    }
}
