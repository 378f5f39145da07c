package io.jurunc.wasm.fs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;

/**
 * A host directory seen as a whole file system, as a WASI preopen: every path resolves inside the
 * directory ({@link RootedPaths}), so neither {@code ..} nor a symbolic link of a hostile image reaches
 * the host; a read-only one refuses every write. Chicory's WASI works on {@link Path}s, so a preopen is
 * {@code getPath("/")} of one of these.
 */
public final class ConfinedFileSystem extends FileSystem {
    private final Path hostRoot;
    private final boolean readOnly;
    private final ConfinedProvider provider;

    private ConfinedFileSystem(Path hostRoot, boolean readOnly) {
        this.hostRoot = hostRoot;
        this.readOnly = readOnly;
        this.provider = new ConfinedProvider(this);
    }

    /** @param dir a host directory; symbolic links in its own path are resolved once, here */
    public static ConfinedFileSystem of(Path dir, boolean readOnly) throws IOException {
        return new ConfinedFileSystem(RootedPaths.realRoot(dir), readOnly);
    }

    public Path hostRoot() {
        return hostRoot;
    }

    /** The root, as the guest sees it. */
    public Path root() {
        return new ConfinedPath(this, Path.of("/"));
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        // nothing is held open
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root());
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic", "posix", "unix");
    }

    @Override
    public Path getPath(String first, String... more) {
        return new ConfinedPath(this, Path.of(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        throw new UnsupportedOperationException("no path matchers in a sandbox");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("no principals in a sandbox");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("no watch service in a sandbox");
    }
}
