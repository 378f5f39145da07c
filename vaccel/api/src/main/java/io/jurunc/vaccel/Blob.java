package io.jurunc.vaccel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One piece of a resource: a file (path, data read lazily) or an in-memory buffer (data, no path).
 * {@code name} is the file name the blob gets when it is written out (remotely or into the rundir).
 */
public record Blob(BlobType type, String name, Path path, byte[] data) {
    public Blob {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
            throw new VaccelException.InvalidArgumentException("blob name '" + name + "' must be a plain file name");
        }
        if (path == null && data == null) {
            throw new VaccelException.InvalidArgumentException("blob '" + name + "' needs a path or data");
        }
    }

    public static Blob file(Path path) {
        return new Blob(BlobType.FILE, path.getFileName().toString(), path, null);
    }

    public static Blob buffer(String name, byte[] data) {
        return new Blob(BlobType.BUFFER, name, null, data);
    }

    /** Size in bytes (reads the file size for file blobs whose data is not loaded). */
    public long size() {
        if (data != null) {
            return data.length;
        }
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new VaccelException(Errno.ENOENT, "cannot stat blob file " + path + ": " + e.getMessage(), e);
        }
    }

    /** This blob with its data in memory (files are read). */
    public Blob withData() {
        if (data != null) {
            return this;
        }
        try {
            return new Blob(type, name, path, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new VaccelException(Errno.ENOENT, "cannot read blob file " + path + ": " + e.getMessage(), e);
        }
    }
}
