package io.jurunc.wasm.fs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The operations of a {@link ConfinedFileSystem}: each turns the guest's path into a host path inside the
 * root and then acts on it without following a final symbolic link again.
 */
final class ConfinedProvider extends FileSystemProvider {
    private static final Set<OpenOption> WRITES = Set.of(
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.DELETE_ON_CLOSE,
            StandardOpenOption.TRUNCATE_EXISTING);
    private final ConfinedFileSystem fs;

    ConfinedProvider(ConfinedFileSystem fs) {
        this.fs = fs;
    }

    private ConfinedPath own(Path p) {
        if (p instanceof ConfinedPath c && c.getFileSystem() == fs) {
            return c;
        }
        throw new ProviderMismatchException("not a path of this sandbox: " + p);
    }

    private Path host(Path p, boolean followFinal) throws IOException {
        return RootedPaths.resolve(fs.hostRoot(), own(p).guestPath(), followFinal);
    }

    private static boolean follows(Object[] options) {
        return Arrays.stream(options).noneMatch(o -> o == LinkOption.NOFOLLOW_LINKS);
    }

    private void refuseWrite(Path p) throws AccessDeniedException {
        if (fs.isReadOnly()) {
            throw new AccessDeniedException(p.toString(), null, "read-only file system");
        }
    }

    private Set<OpenOption> openOptions(Path p, Set<? extends OpenOption> options, Path host) throws IOException {
        Set<OpenOption> opts = new HashSet<>(options);
        if (fs.isReadOnly()) {
            boolean creates =
                    opts.contains(StandardOpenOption.CREATE) && !Files.exists(host, LinkOption.NOFOLLOW_LINKS);
            if (creates || opts.stream().anyMatch(WRITES::contains)) {
                refuseWrite(p);
            }
            opts.remove(StandardOpenOption.CREATE);
        }
        opts.add(LinkOption.NOFOLLOW_LINKS);
        return opts;
    }

    @Override
    public String getScheme() {
        return "jurunc-sandbox";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("sandbox file systems are made by ConfinedFileSystem.of");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("sandbox file systems have no URI");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("sandbox paths have no URI");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path h = host(path, follows(options.toArray()));
        return Files.newByteChannel(h, openOptions(path, options, h), attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path h = host(path, follows(options.toArray()));
        return FileChannel.open(h, openOptions(path, options, h), attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        ConfinedPath guestDir = own(dir);
        DirectoryStream<Path> host = Files.newDirectoryStream(host(dir, true));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = host.iterator();
                return new Iterator<>() {
                    private Path next = advance();

                    private Path advance() {
                        while (it.hasNext()) {
                            Path p = guestDir.resolve(
                                    fs.getPath(it.next().getFileName().toString()));
                            try {
                                if (filter == null || filter.accept(p)) {
                                    return p;
                                }
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (next == null) {
                            throw new java.util.NoSuchElementException();
                        }
                        Path p = next;
                        next = advance();
                        return p;
                    }
                };
            }

            @Override
            public void close() throws IOException {
                host.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        refuseWrite(dir);
        Files.createDirectory(host(dir, false), attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        refuseWrite(link);
        // The link keeps the guest's text; it is only ever followed inside a root (RootedPaths).
        Files.createSymbolicLink(host(link, false), Path.of(target.toString()), attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        refuseWrite(link);
        Files.createLink(host(link, false), host(existing, false));
    }

    @Override
    public void delete(Path path) throws IOException {
        refuseWrite(path);
        Files.delete(host(path, false));
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        refuseWrite(target);
        Set<CopyOption> opts = new HashSet<>(Arrays.asList(options));
        opts.add(LinkOption.NOFOLLOW_LINKS);
        Files.copy(host(source, follows(options)), host(target, false), opts.toArray(CopyOption[]::new));
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        refuseWrite(source);
        Files.move(host(source, false), host(target, false), options);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return fs.getPath(Files.readSymbolicLink(host(link, false)).toString());
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return Files.isSameFile(host(path, true), host(path2, true));
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("no file stores in a sandbox");
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        if (Arrays.asList(modes).contains(AccessMode.WRITE)) {
            refuseWrite(path);
        }
        Path h = host(path, true);
        h.getFileSystem().provider().checkAccess(h, modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        Path h;
        try {
            h = host(path, follows(options));
        } catch (IOException e) {
            h = fs.hostRoot().resolve(".jurunc-unresolvable");
        }
        V view = Files.getFileAttributeView(h, type, LinkOption.NOFOLLOW_LINKS);
        if (view == null || !fs.isReadOnly()) {
            return view;
        }
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        BasicFileAttributeView basic = (BasicFileAttributeView) view;
        Path guest = path;
        return type.cast(new BasicFileAttributeView() {
            @Override
            public String name() {
                return basic.name();
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return basic.readAttributes();
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                    throws IOException {
                refuseWrite(guest);
            }
        });
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return Files.readAttributes(host(path, follows(options)), type, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return Files.readAttributes(host(path, follows(options)), attributes, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        refuseWrite(path);
        Files.setAttribute(host(path, follows(options)), attribute, value, LinkOption.NOFOLLOW_LINKS);
    }
}
