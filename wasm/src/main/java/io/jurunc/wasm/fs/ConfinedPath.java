package io.jurunc.wasm.fs;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path as the guest sees it, in a {@link ConfinedFileSystem}. Its syntax is the host's (a path of the
 * default file system holds it); only the provider turns it into a host path, inside the root.
 */
final class ConfinedPath implements Path {
    private final ConfinedFileSystem fs;
    private final Path virtual;

    ConfinedPath(ConfinedFileSystem fs, Path virtual) {
        this.fs = Objects.requireNonNull(fs);
        this.virtual = Objects.requireNonNull(virtual);
    }

    /** The guest's path, absolute (relative paths are taken from the root). */
    String guestPath() {
        return virtual.isAbsolute() ? virtual.toString() : "/" + virtual;
    }

    private ConfinedPath wrap(Path p) {
        return p == null ? null : new ConfinedPath(fs, p);
    }

    private Path unwrap(Path other) {
        if (other instanceof ConfinedPath c && c.fs == fs) {
            return c.virtual;
        }
        throw new ProviderMismatchException("not a path of this sandbox: " + other);
    }

    @Override
    public FileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return virtual.isAbsolute();
    }

    @Override
    public Path getRoot() {
        return wrap(virtual.getRoot());
    }

    @Override
    public Path getFileName() {
        return wrap(virtual.getFileName());
    }

    @Override
    public Path getParent() {
        return wrap(virtual.getParent());
    }

    @Override
    public int getNameCount() {
        return virtual.getNameCount();
    }

    @Override
    public Path getName(int index) {
        return wrap(virtual.getName(index));
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        return wrap(virtual.subpath(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        return other instanceof ConfinedPath c && c.fs == fs && virtual.startsWith(c.virtual);
    }

    @Override
    public boolean endsWith(Path other) {
        return other instanceof ConfinedPath c && c.fs == fs && virtual.endsWith(c.virtual);
    }

    @Override
    public Path normalize() {
        return wrap(virtual.normalize());
    }

    @Override
    public Path resolve(Path other) {
        return wrap(virtual.resolve(unwrap(other)));
    }

    @Override
    public Path relativize(Path other) {
        return wrap(virtual.relativize(unwrap(other)));
    }

    @Override
    public URI toUri() {
        throw new UnsupportedOperationException("sandbox paths have no URI");
    }

    @Override
    public Path toAbsolutePath() {
        return virtual.isAbsolute() ? this : wrap(Path.of("/").resolve(virtual));
    }

    @Override
    public Path toRealPath(LinkOption... options) {
        return toAbsolutePath().normalize();
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("no watch service in a sandbox");
    }

    @Override
    public int compareTo(Path other) {
        return virtual.compareTo(unwrap(other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfinedPath c && c.fs == fs && c.virtual.equals(virtual);
    }

    @Override
    public int hashCode() {
        return virtual.hashCode();
    }

    @Override
    public String toString() {
        return virtual.toString();
    }
}
