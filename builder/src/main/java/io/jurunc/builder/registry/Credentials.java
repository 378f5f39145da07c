package io.jurunc.builder.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jurunc.builder.image.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/** Registry credentials, looked up per registry host. */
@FunctionalInterface
public interface Credentials {
    record UserPassword(String user, String password) {
        public String basicHeader() {
            return "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        /** Parses {@code user:password}. */
        public static UserPassword parse(String text) {
            int c = text.indexOf(':');
            if (c <= 0) {
                throw new IllegalArgumentException("credentials must be USER:PASSWORD");
            }
            return new UserPassword(text.substring(0, c), text.substring(c + 1));
        }
    }

    Optional<UserPassword> lookup(String registry);

    Credentials NONE = r -> Optional.empty();

    /** The same credentials for every registry (tests against one registry; prefer {@link #forHosts}). */
    static Credentials fixed(UserPassword up) {
        return r -> Optional.of(up);
    }

    /** {@code up} for the given registry hosts ({@code host[:port]}) only, e.g. the push targets; none for any other. */
    static Credentials forHosts(java.util.Set<String> hosts, UserPassword up) {
        java.util.Set<String> only = java.util.Set.copyOf(hosts);
        return r -> only.contains(r) ? Optional.of(up) : Optional.empty();
    }

    /** These credentials where they answer, else {@code other}'s. */
    default Credentials or(Credentials other) {
        return r -> {
            Optional<UserPassword> mine = lookup(r);
            return mine.isPresent() ? mine : other.lookup(r);
        };
    }

    /**
     * {@code JURUNC_REGISTRY_AUTH=user:password} if set (for every registry: prefer
     * {@link #fromEnvironment(java.util.Set)}), else the per-registry {@code auths} of Docker's
     * {@code config.json} ({@code $DOCKER_CONFIG} or {@code ~/.docker}), else none.
     */
    static Credentials fromEnvironment() {
        String env = System.getenv("JURUNC_REGISTRY_AUTH");
        if (env != null && !env.isBlank()) {
            return fixed(UserPassword.parse(env));
        }
        return dockerConfig();
    }

    /**
     * {@code JURUNC_REGISTRY_AUTH=user:password} for the push targets {@code pushHosts} only, then
     * the per-registry {@code auths} of Docker's {@code config.json}.
     */
    static Credentials fromEnvironment(java.util.Set<String> pushHosts) {
        String env = System.getenv("JURUNC_REGISTRY_AUTH");
        if (env != null && !env.isBlank()) {
            return forHosts(pushHosts, UserPassword.parse(env)).or(dockerConfig());
        }
        return dockerConfig();
    }

    /** Docker's {@code config.json} {@code auths}, looked up by registry host. */
    static Credentials dockerConfig() {
        return registry -> {
            String dir = System.getenv("DOCKER_CONFIG");
            Path cfg = dir != null
                    ? Path.of(dir, "config.json")
                    : Path.of(System.getProperty("user.home"), ".docker", "config.json");
            if (!Files.isRegularFile(cfg)) {
                return Optional.empty();
            }
            try {
                JsonNode auths = Json.parse(Files.readAllBytes(cfg)).path("auths");
                for (String key : new String[] {
                    registry,
                    "https://" + registry,
                    "http://" + registry,
                    registry.equals("docker.io") ? "https://index.docker.io/v1/" : registry
                }) {
                    String a = auths.path(key).path("auth").asText(null);
                    if (a != null) {
                        return Optional.of(UserPassword.parse(
                                new String(Base64.getDecoder().decode(a), StandardCharsets.UTF_8)));
                    }
                }
            } catch (Exception e) {
                return Optional.empty();
            }
            return Optional.empty();
        };
    }
}
