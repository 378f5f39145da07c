package io.jurunc.builder.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.RegistryException;
import io.jurunc.builder.image.Digest;
import io.jurunc.builder.image.HashingOutputStream;
import io.jurunc.builder.image.ImageReference;
import io.jurunc.builder.image.Json;
import io.jurunc.builder.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OCI distribution API client: manifests and blobs, with Basic and Bearer-token auth.
 * Plain http is used only for loopback registries ({@link ImageReference#isLoopback()}).
 */
public final class RegistryClient {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String ACCEPT = String.join(
            ", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);
    private HttpClient http;
    /** Manifests and indexes are small JSON documents; a larger answer is refused (OCI suggests 4 MiB). */
    static final int MAX_MANIFEST = 4 << 20;

    private final Credentials credentials;
    private final Map<String, String> authorization = new ConcurrentHashMap<>();

    public RegistryClient(Credentials credentials) {
        this.credentials = credentials;
    }

    /** Made on first use: most builds (FROM scratch, no push) never talk to a registry, and it costs a thread and ~0.1 s. */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
        }
        return http;
    }

    public record Fetched(String mediaType, byte[] bytes, Digest digest) {}

    public Fetched getManifest(ImageReference ref) {
        HttpResponse<InputStream> r = send(
                ref,
                "pull",
                HttpRequest.newBuilder(uri(ref, "/manifests/" + ref.manifestReference()))
                        .header("Accept", ACCEPT)
                        .GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw new RegistryException("reading the manifest of " + ref + " failed: " + e.getMessage(), "retry", e);
        }
        if (r.statusCode() == 404) {
            throw new RegistryException("image " + ref + " not found in the registry", "check the name and tag");
        }
        if (r.statusCode() != 200) {
            expect(new Answer(r.statusCode(), body), 200, "GET manifest of " + ref);
        }
        if (body.length > MAX_MANIFEST) {
            throw new RegistryException(
                    "manifest of " + ref + " is larger than " + MAX_MANIFEST + " bytes",
                    "the registry returned wrong content");
        }
        Digest d = Digest.of(body);
        if (ref.digest() != null && !ref.digest().equals(d.toString())) {
            throw new RegistryException(
                    "manifest of " + ref + " has digest " + d, "the registry returned wrong content");
        }
        String type =
                r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        if (type.isEmpty() || type.equals("application/json")) {
            try {
                JsonNode n = Json.parse(body);
                type = n.path("mediaType").asText(n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
            } catch (IOException e) {
                throw new RegistryException("manifest of " + ref + " is not JSON", "check the registry", e);
            }
        }
        return new Fetched(type, body, d);
    }

    /** Downloads a blob into {@code target} and checks its digest. */
    public void getBlob(ImageReference repo, Digest digest, Path target) {
        getBlob(repo, digest, Long.MAX_VALUE, target);
    }

    /** Downloads a blob of at most {@code maxBytes} (its descriptor's size) into {@code target} and checks its digest. */
    public void getBlob(ImageReference repo, Digest digest, long maxBytes, Path target) {
        HttpResponse<InputStream> r = send(
                repo,
                "pull",
                HttpRequest.newBuilder(uri(repo, "/blobs/" + digest)).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                in.readAllBytes();
                expect(r, 200, "GET blob " + digest + " of " + repo);
            }
            HashingOutputStream h;
            try (OutputStream out = Files.newOutputStream(target)) {
                h = new HashingOutputStream(out);
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new RegistryException(
                                "blob " + digest + " of " + repo + " is larger than its descriptor says (" + maxBytes
                                        + " bytes)",
                                "the registry returned wrong content");
                    }
                    h.write(buf, 0, n);
                }
            }
            if (!h.digest().equals(digest)) {
                throw new RegistryException(
                        "blob " + digest + " of " + repo + " arrived with digest " + h.digest(),
                        "retry; the registry or a proxy corrupted it");
            }
        } catch (IOException e) {
            throw new RegistryException(
                    "download of " + digest + " from " + repo.registry() + " failed: " + e.getMessage(), "retry", e);
        }
    }

    public boolean hasBlob(ImageReference repo, Digest digest) {
        HttpResponse<Void> r = send(
                repo,
                "pull,push",
                HttpRequest.newBuilder(uri(repo, "/blobs/" + digest))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
    }

    /** Monolithic upload: POST to open a session, then PUT the bytes with the digest. */
    public void pushBlob(ImageReference repo, Digest digest, Path file) {
        HttpResponse<String> start = send(
                repo,
                "pull,push",
                HttpRequest.newBuilder(uri(repo, "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
        expect(start, 202, "start upload to " + repo);
        String location = start.headers()
                .firstValue("Location")
                .orElseThrow(() -> new RegistryException(
                        "registry " + repo.registry() + " gave no upload Location", "check the registry"));
        URI loc = URI.create(repo.apiBase() + "/").resolve(location);
        String sep = loc.getQuery() == null ? "?" : "&";
        URI put = URI.create(loc + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = send(
                    repo,
                    "pull,push",
                    HttpRequest.newBuilder(put)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(file)),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.FileNotFoundException e) {
            throw new RegistryException("blob " + digest + " vanished from " + file, "retry the build", e);
        }
        expect(r, 201, "upload " + digest + " to " + repo);
    }

    /** PUTs a manifest or index under a tag or digest; returns the registry's digest for it. */
    public String putManifest(ImageReference repo, String reference, String mediaType, byte[] bytes) {
        HttpResponse<String> r = send(
                repo,
                "pull,push",
                HttpRequest.newBuilder(uri(repo, "/manifests/" + reference))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
                HttpResponse.BodyHandlers.ofString());
        expect(r, 201, "PUT manifest " + reference + " to " + repo);
        return r.headers()
                .firstValue("Docker-Content-Digest")
                .orElse(Digest.of(bytes).toString());
    }

    private static URI uri(ImageReference repo, String tail) {
        return URI.create(repo.apiBase() + "/v2/" + repo.repository() + tail);
    }

    /** A status and the start of a body, for error messages. */
    private record Answer(int statusCode, Object body) {}

    private static void expect(HttpResponse<?> r, int code, String what) {
        expect(new Answer(r.statusCode(), r.body()), code, what);
    }

    private static void expect(Answer r, int code, String what) {
        if (r.statusCode() != code) {
            Object body = r.body();
            String detail = body instanceof String s
                    ? s
                    : body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
            if (detail.length() > 300) {
                detail = detail.substring(0, 300);
            }
            String fix = r.statusCode() == 401 || r.statusCode() == 403
                    ? "give credentials with --creds USER:PASSWORD, JURUNC_REGISTRY_AUTH or docker's config.json"
                    : "check the registry's log";
            throw new RegistryException(what + " failed: HTTP " + r.statusCode() + " " + detail.strip(), fix);
        }
    }

    private <T> HttpResponse<T> send(
            ImageReference repo, String actions, HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler)
            throws RegistryException {
        String key = repo.registry() + "/" + repo.repository() + "/" + actions;
        try {
            String auth = authorization.get(key);
            HttpRequest.Builder first = b.copy();
            if (auth != null) {
                first.header("Authorization", auth);
            }
            HttpResponse<T> r = follow(first.build(), b, auth, handler);
            if (r.statusCode() != 401) {
                return r;
            }
            if (r.body() instanceof InputStream in) {
                in.close();
            }
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            auth = authorize(repo, actions, challenge);
            authorization.put(key, auth);
            return follow(b.copy().header("Authorization", auth).build(), b, auth, handler);
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot reach registry " + repo.registry() + ": " + e.getMessage(),
                    "check that it is running and reachable",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted talking to " + repo.registry(), "retry", e);
        }
    }

    /**
     * Sends a request and follows up to five redirects (blob downloads go to storage hosts). The
     * Authorization header goes only to the request's own origin (scheme, host and port), never to
     * a redirect target elsewhere, and an https request is never redirected to http.
     */
    private <T> HttpResponse<T> follow(
            HttpRequest request, HttpRequest.Builder plain, String auth, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        URI origin = request.uri();
        HttpResponse<T> r = http().send(request, handler);
        for (int hops = 0; hops < 5 && isRedirect(r.statusCode()); hops++) {
            Optional<String> location = r.headers().firstValue("Location");
            if (location.isEmpty()) {
                return r;
            }
            if (r.body() instanceof InputStream in) {
                in.close();
            }
            URI next = r.uri().resolve(location.get());
            if (!"https".equalsIgnoreCase(next.getScheme())
                    && !("http".equalsIgnoreCase(next.getScheme())
                            && ("http".equalsIgnoreCase(r.uri().getScheme()) || isLoopbackHost(next.getHost())))) {
                throw new RegistryException(
                        "registry redirected " + r.uri().getHost() + " to " + next.getScheme() + "://" + next.getHost()
                                + ", which is not https",
                        "use a registry that redirects to https");
            }
            HttpRequest.Builder nb = plain.copy().uri(next);
            if (auth != null && sameOrigin(origin, next)) {
                nb.header("Authorization", auth);
            }
            if (r.statusCode() == 303) {
                nb.GET();
            }
            r = http().send(nb.build(), handler);
        }
        return r;
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    static boolean isLoopbackHost(String host) {
        return host != null
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1"));
    }

    /**
     * A Bearer realm gets the user's credentials, so it must be https; plain http only for a
     * loopback realm (a local test registry).
     */
    static URI checkRealm(String realm, String registry) {
        URI u;
        try {
            u = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    "registry " + registry + " sent a malformed token realm", "check the registry's auth config");
        }
        boolean https = "https".equalsIgnoreCase(u.getScheme());
        boolean loopbackHttp = "http".equalsIgnoreCase(u.getScheme()) && isLoopbackHost(u.getHost());
        if (u.getHost() == null || !(https || loopbackHttp)) {
            throw new RegistryException(
                    "registry " + registry + " sent a token realm that is not https (" + u.getScheme() + "://"
                            + u.getHost() + ")",
                    "use a registry whose token server is on https");
        }
        return u;
    }

    private String authorize(ImageReference repo, String actions, String challenge)
            throws IOException, InterruptedException {
        Optional<Credentials.UserPassword> creds = credentials.lookup(repo.registry());
        String scheme = challenge.split(" ", 2)[0].trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            return creds.orElseThrow(() -> new RegistryException(
                            "registry " + repo.registry() + " needs a user and password",
                            "give --creds USER:PASSWORD, JURUNC_REGISTRY_AUTH or log in with docker"))
                    .basicHeader();
        }
        if (!scheme.equalsIgnoreCase("Bearer")) {
            throw new RegistryException(
                    "registry " + repo.registry() + " asks for unsupported auth \"" + challenge + "\"",
                    "use a registry with Basic or Bearer-token auth");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw new RegistryException(
                    "registry " + repo.registry() + " sent a Bearer challenge without a realm",
                    "check the registry's auth config");
        }
        checkRealm(realm, repo.registry());
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) {
            q.append("service=")
                    .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8))
                    .append('&');
        }
        q.append("scope=")
                .append(URLEncoder.encode("repository:" + repo.repository() + ":" + actions, StandardCharsets.UTF_8));
        HttpRequest.Builder tb =
                HttpRequest.newBuilder(URI.create(q.toString())).GET();
        creds.ifPresent(c -> tb.header("Authorization", c.basicHeader()));
        HttpResponse<byte[]> tr = http().send(tb.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (tr.statusCode() != 200) {
            throw new RegistryException(
                    "token server " + realm + " refused: HTTP " + tr.statusCode(),
                    creds.isPresent()
                            ? "check the user and password"
                            : "give --creds USER:PASSWORD or JURUNC_REGISTRY_AUTH");
        }
        JsonNode t = Json.parse(tr.body());
        String token = t.path("token").asText(t.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException("token server " + realm + " returned no token", "check the token server");
        }
        return "Bearer " + token;
    }
}
