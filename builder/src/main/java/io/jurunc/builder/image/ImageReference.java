package io.jurunc.builder.image;

import java.util.regex.Pattern;

/**
 * A Docker-style image reference, normalised: {@code busybox} is {@code docker.io/library/busybox:latest}.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    public static final String DOCKER_HUB = "docker.io";

    /** Parses a reference; throws IllegalArgumentException naming the bad part. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty image reference");
        }
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("bad digest \"" + digest + "\" in \"" + text + "\"");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("bad tag \"" + tag + "\" in \"" + text + "\"");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw new IllegalArgumentException("bad repository name \"" + rest + "\" in \"" + text
                        + "\" (lowercase letters, digits and . _ - only)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** The tag, or the digest when there is no tag. */
    public String tagOrDigest() {
        return tag != null ? tag : digest;
    }

    /** What a registry API path uses after {@code /manifests/}. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null);
    }

    /** Plain http is used only for loopback registries. */
    public boolean isLoopback() {
        String host = registry.replaceFirst(":\\d+$", "");
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** The base URL of the registry API (Docker Hub's API lives on registry-1.docker.io). */
    public String apiBase() {
        String host = registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
        return (isLoopback() ? "http://" : "https://") + host;
    }

    /** The full name, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
