package io.jurunc.vaccel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A vAccel resource (model, library or data), created by {@link Vaccel#createResource(ResourceSpec)}.
 * Its blobs are resolved lazily, when it is first registered with a session (a directory is walked then).
 * A resource can be registered with several sessions; it is released when the owner calls {@link #close()}.
 */
public final class Resource implements AutoCloseable {
    private final Vaccel vaccel;
    private final long id;
    private final ResourceSpec spec;
    private final Set<Long> sessions = ConcurrentHashMap.newKeySet();
    private volatile List<Blob> blobs;
    private volatile long remoteId;
    private volatile boolean closed;

    Resource(Vaccel vaccel, long id, ResourceSpec spec) {
        this.vaccel = vaccel;
        this.id = id;
        this.spec = spec;
    }

    public long id() {
        return id;
    }

    public ResourceType type() {
        return spec.type();
    }

    public ResourceSpec spec() {
        return spec;
    }

    /** The id on the remote agent, once a transport plugin registered it (0 = none). */
    public long remoteId() {
        return remoteId;
    }

    void remoteId(long value) {
        this.remoteId = value;
    }

    /** How many sessions this resource is registered with (vAccel's refcount). */
    public int refcount() {
        return sessions.size();
    }

    boolean addSession(long sessionId) {
        return sessions.add(sessionId);
    }

    boolean removeSession(long sessionId) {
        return sessions.remove(sessionId);
    }

    boolean registeredWith(long sessionId) {
        return sessions.contains(sessionId);
    }

    /** The blobs, resolving a directory into one file blob per regular file (recursive, flat names). */
    public List<Blob> blobs() {
        List<Blob> b = blobs;
        if (b == null) {
            synchronized (this) {
                if (blobs == null) {
                    blobs = resolve();
                }
                b = blobs;
            }
        }
        return b;
    }

    private List<Blob> resolve() {
        if (!spec.blobs().isEmpty()) {
            return spec.blobs();
        }
        if (spec.directory() == null) {
            return spec.files().stream().map(Blob::file).toList();
        }
        try (Stream<Path> walk = Files.walk(spec.directory())) {
            List<Blob> out = new ArrayList<>();
            walk.filter(Files::isRegularFile).sorted().forEach(p -> out.add(Blob.file(p)));
            if (out.isEmpty()) {
                throw new VaccelException(Errno.ENOENT, "resource directory " + spec.directory() + " holds no files");
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new VaccelException(
                    Errno.EIO, "cannot walk resource directory " + spec.directory() + ": " + e.getMessage(), e);
        }
    }

    /** The directory of a resource made from a directory, or null (vAccel's {@code vaccel_resource_directory}). */
    public Path directory() {
        return spec.directory();
    }

    /**
     * Local files for every blob, in blob order: file blobs as they are, buffer blobs written once into
     * this resource's directory under the rundir ({@code <rundir>/resource.<id>/<name>}).
     */
    public synchronized List<Path> localPaths() {
        List<Path> out = new ArrayList<>();
        Path dir = null;
        for (Blob b : blobs()) {
            if (b.path() != null) {
                out.add(b.path());
                continue;
            }
            if (dir == null) {
                dir = vaccel.rundir().resolve("resource." + id);
            }
            Path target = dir.resolve(b.name());
            try {
                if (!Files.exists(target)) {
                    Files.createDirectories(dir);
                    Files.write(target, b.data());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write resource blob " + target, e);
            }
            out.add(target);
        }
        return out;
    }

    /** The main file: the last blob (vAccel's rule for exec_with_resource) written out if needed. */
    public Path mainPath() {
        List<Path> paths = localPaths();
        return paths.getLast();
    }

    /** Replaces the data of the BUFFER blobs, in order (resource sync); a count mismatch is EBACKEND. */
    synchronized void replaceBufferData(List<byte[]> data) {
        List<Blob> current = blobs();
        if (data.size() != current.size()) {
            throw new VaccelException.BackendException(
                    "sync returned " + data.size() + " blobs, resource " + id + " has " + current.size());
        }
        List<Blob> next = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            Blob b = current.get(i);
            next.add(b.type() == BlobType.BUFFER ? new Blob(b.type(), b.name(), b.path(), data.get(i)) : b);
        }
        blobs = List.copyOf(next);
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Releases the resource. It must not be registered with any session ({@code EBUSY} otherwise).
     */
    @Override
    public void close() {
        vaccel.releaseResource(this);
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Resource[" + id + ", " + spec.type() + "]";
    }
}
