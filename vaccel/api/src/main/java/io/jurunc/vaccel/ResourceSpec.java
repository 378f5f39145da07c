package io.jurunc.vaccel;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a resource is made of, validated when it is built: local files, one local directory, or blobs
 * (in-memory buffers). Paths follow vAccel's URI rules: {@code file://} or no prefix is local;
 * several paths must all be files. {@code http(s)://} and {@code ftp://} are refused: jurunc does not
 * download resources.
 */
public record ResourceSpec(ResourceType type, List<Path> files, Path directory, List<Blob> blobs) {
    public ResourceSpec {
        Objects.requireNonNull(type, "type");
        files = files == null ? List.of() : List.copyOf(files);
        blobs = blobs == null ? List.of() : List.copyOf(blobs);
        int sources = (files.isEmpty() ? 0 : 1) + (directory == null ? 0 : 1) + (blobs.isEmpty() ? 0 : 1);
        if (sources != 1) {
            throw new VaccelException.InvalidArgumentException(
                    "a resource needs exactly one of: files, a directory, blobs");
        }
    }

    /** A resource from one path or URI (file or directory). */
    public static ResourceSpec ofPath(String pathOrUri, ResourceType type) {
        Path p = parseLocal(pathOrUri);
        if (Files.isDirectory(p)) {
            return new ResourceSpec(type, null, p, null);
        }
        requireFile(p);
        return new ResourceSpec(type, List.of(p), null, null);
    }

    /** A resource from several files; directories are not allowed here (vAccel's rule). */
    public static ResourceSpec ofPaths(List<String> pathsOrUris, ResourceType type) {
        if (pathsOrUris.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("a resource needs at least one path");
        }
        if (pathsOrUris.size() == 1) {
            return ofPath(pathsOrUris.getFirst(), type);
        }
        List<Path> files = new ArrayList<>();
        for (String s : pathsOrUris) {
            Path p = parseLocal(s);
            if (Files.isDirectory(p)) {
                throw new VaccelException.InvalidArgumentException(
                        "'" + s + "' is a directory; a multi-path resource takes files only");
            }
            requireFile(p);
            files.add(p);
        }
        return new ResourceSpec(type, files, null, null);
    }

    /** A resource from an in-memory buffer, named {@code filename} when written out. */
    public static ResourceSpec ofBuffer(byte[] data, ResourceType type, String filename) {
        return new ResourceSpec(type, null, null, List.of(Blob.buffer(filename, data)));
    }

    public static ResourceSpec ofBlobs(List<Blob> blobs, ResourceType type) {
        if (blobs.isEmpty()) {
            throw new VaccelException.InvalidArgumentException("a resource needs at least one blob");
        }
        return new ResourceSpec(type, null, null, blobs);
    }

    private static void requireFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new VaccelException(Errno.ENOENT, "resource file " + p + " does not exist or is not a regular file");
        }
    }

    static Path parseLocal(String s) {
        Objects.requireNonNull(s, "path");
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("ftp://")) {
            throw new VaccelException(
                    Errno.ENOTSUP,
                    "remote resource '" + s
                            + "' is not supported: jurunc does not download resources; fetch it and pass a local path");
        }
        if (lower.startsWith("file://")) {
            return Path.of(URI.create(s));
        }
        if (s.contains("://")) {
            throw new VaccelException.InvalidArgumentException(
                    "unsupported resource URI scheme in '" + s + "' (use file:// or a plain path)");
        }
        return Path.of(s);
    }
}
