package io.jurunc.vaccel.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What remote clients may reach on the agent's host beyond the data they send. {@code resourceDirs}: the
 * only directories RegisterResource may name host paths in (by real path, so links cannot lead out);
 * empty (the default) refuses host paths altogether, and resources must come as blobs.
 * {@code peerUsers}: users besides the agent's own whose processes may connect to its unix sockets
 * (SO_PEERCRED; by default only the agent's user). {@code maxConnections}: client connections served at
 * once (each may hold {@link Agent#MAX_CALLS_PER_CONNECTION} calls and twice the message limit); one more is
 * answered RESOURCE_EXHAUSTED and closed. {@code allowedCids}: the vsock peers (guest CIDs) that may
 * connect; empty accepts any.
 */
public record AgentPolicy(
        List<Path> resourceDirs, java.util.Set<String> peerUsers, int maxConnections, java.util.Set<Long> allowedCids) {
    /** Connections served at once unless {@code --max-connections} says otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    public static final AgentPolicy DEFAULT = new AgentPolicy(List.of());

    public AgentPolicy(List<Path> resourceDirs) {
        this(resourceDirs, java.util.Set.of());
    }

    public AgentPolicy(List<Path> resourceDirs, java.util.Set<String> peerUsers) {
        this(resourceDirs, peerUsers, DEFAULT_MAX_CONNECTIONS, java.util.Set.of());
    }

    /** This policy with another connection limit. */
    public AgentPolicy withMaxConnections(int max) {
        return new AgentPolicy(resourceDirs, peerUsers, max, allowedCids);
    }

    /** This policy accepting vsock peers only from {@code cids}. */
    public AgentPolicy withAllowedCids(java.util.Set<Long> cids) {
        return new AgentPolicy(resourceDirs, peerUsers, maxConnections, cids);
    }

    public AgentPolicy {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("the connection limit must be positive, got " + maxConnections);
        }
        for (long cid : allowedCids) {
            if (cid < 0 || cid > 0xffff_ffffL) {
                throw new IllegalArgumentException("vsock CID out of range (0..4294967295): " + cid);
            }
        }
        allowedCids = java.util.Set.copyOf(allowedCids);
        List<Path> real = new ArrayList<>();
        for (Path d : resourceDirs) {
            if (!d.isAbsolute()) {
                throw new IllegalArgumentException("resource directory must be absolute: " + d);
            }
            try {
                Path r = d.toRealPath();
                if (!Files.isDirectory(r)) {
                    throw new IllegalArgumentException("resource directory is not a directory: " + d);
                }
                real.add(r);
            } catch (IOException e) {
                throw new UncheckedIOException("resource directory " + d + ": " + e.getMessage(), e);
            }
        }
        resourceDirs = List.copyOf(real);
        peerUsers = java.util.Set.copyOf(peerUsers);
    }

    /**
     * The real path of a client-named host path if it lies inside an allowed directory, else empty.
     * {@code file://} is accepted as vAccel does; relative paths never are.
     */
    Optional<Path> allowedPath(String clientPath) {
        String p = clientPath.startsWith("file://") ? clientPath.substring("file://".length()) : clientPath;
        if (!p.startsWith("/") || resourceDirs.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path real = Path.of(p).toRealPath();
            for (Path d : resourceDirs) {
                if (real.startsWith(d) && !real.equals(d)) {
                    return Optional.of(real);
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
