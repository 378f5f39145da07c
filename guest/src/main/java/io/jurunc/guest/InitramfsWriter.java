package io.jurunc.guest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Packs a container rootfs, the guest init and the process description into one uncompressed newc
 * initramfs that the kit's kernel unpacks as its root filesystem.
 *
 * <p>Layout added on top of the rootfs: {@code /jurunc/init} (the kit's init, booted with {@code
 * rdinit=/jurunc/init}), {@code /jurunc/process} ({@link ProcessFile}), and for the standard
 * flavour {@code /jurunc/modules} (the load list) with the modules in {@code /jurunc/ko/}. {@code
 * /dev} and {@code /dev/console} are added when the rootfs lacks them, so that the kernel can give
 * the init its console. A {@code /jurunc} directory in the rootfs is replaced.
 *
 * <p>Modes, owners, mtimes, symlinks, device nodes and FIFOs are preserved; hard links become
 * copies; sockets are skipped. Symlinks are stored, never followed, and files are opened with
 * {@code NOFOLLOW_LINKS}, so nothing outside the rootfs is read. File data is copied by the kernel
 * (copy_file_range) and never buffered whole.
 */
public final class InitramfsWriter {
    /**
     * The most file data a rootfs may bring by default (1 GiB). The archive is written to the state
     * directory and unpacked into guest RAM; cpio has no holes, so a sparse file counts at its full
     * size. A hostile image with a huge (sparse) file is refused before anything is copied.
     */
    public static final long DEFAULT_MAX_ROOTFS_BYTES = 1L << 30;

    static final String JURUNC_DIR = "jurunc";
    private static final int CONSOLE_MAJOR = 5;
    private static final int CONSOLE_MINOR = 1;
    private final long maxRootfsBytes;

    public InitramfsWriter() {
        this(DEFAULT_MAX_ROOTFS_BYTES);
    }

    /** @param maxRootfsBytes the most file data (apparent sizes) the rootfs may bring */
    public InitramfsWriter(long maxRootfsBytes) {
        if (maxRootfsBytes <= 0) throw new IllegalArgumentException("maxRootfsBytes must be positive");
        this.maxRootfsBytes = maxRootfsBytes;
    }

    /**
     * Writes {@code out} (replacing it). With {@code baseInitrd} (an image that brings its own
     * initrd), the output is that initrd, zero-padded to a 4-byte boundary, followed by our archive:
     * the kernel unpacks concatenated archives in order, so our files win.
     *
     * @throws InitramfsException when the rootfs is not a directory, a file cannot be read or is too
     *     large for cpio; {@code out} is removed in that case
     */
    public void write(Path rootfs, GuestProcess process, GuestKit kit, Optional<Path> baseInitrd, Path out)
            throws InitramfsException {
        write(rootfs, process, GuestLayout.NONE, kit, baseInitrd, out);
    }

    /** As {@link #write(Path, GuestProcess, GuestKit, Optional, Path)}, with the mounts the init makes. */
    public void write(
            Path rootfs, GuestProcess process, GuestLayout layout, GuestKit kit, Optional<Path> baseInitrd, Path out)
            throws InitramfsException {
        requirePackedRoot(layout);
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(kit, "kit");
        Objects.requireNonNull(baseInitrd, "baseInitrd");
        requireDirectory(rootfs);
        writeInitramfs(out, baseInitrd, ch -> {
            try (NewcWriter w = new NewcWriter(ch)) {
                RootfsVisitor visitor = new RootfsVisitor(rootfs, w, maxRootfsBytes);
                Files.walkFileTree(rootfs, visitor);
                addGuestFiles(w, process, layout, kit, visitor.hasDev, visitor.hasConsole);
                w.finish();
            }
        });
    }

    /** A rootfs packed alone (a complete newc archive), and whether it brought /dev and /dev/console. */
    public record RootfsArchive(Path file, boolean hasDev, boolean hasConsole) {
        public RootfsArchive {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * Packs only the rootfs into {@code out}, a complete newc archive (for {@link InitramfsCache}): the
     * same entries {@link #write} would store for it.
     */
    public RootfsArchive writeRootfs(Path rootfs, Path out) throws InitramfsException {
        requireDirectory(rootfs);
        return writeFile(out, "rootfs archive", ch -> {
            RootfsVisitor visitor = new RootfsVisitor(rootfs, new NewcWriter(ch), maxRootfsBytes);
            try (NewcWriter w = visitor.w) {
                Files.walkFileTree(rootfs, visitor);
                w.finish();
            }
            return new RootfsArchive(out, visitor.hasDev, visitor.hasConsole);
        });
    }

    /**
     * Writes {@code out} as {@link #write} does, from a rootfs packed earlier by {@link #writeRootfs}:
     * [base initrd] + that archive (copied by the kernel) + an archive of the guest's own files. The
     * kernel unpacks concatenated archives in order.
     */
    public void write(RootfsArchive rootfs, GuestProcess process, GuestKit kit, Optional<Path> baseInitrd, Path out)
            throws InitramfsException {
        write(rootfs, process, GuestLayout.NONE, kit, baseInitrd, out);
    }

    /** As {@link #write(RootfsArchive, GuestProcess, GuestKit, Optional, Path)}, with the init's mounts. */
    public void write(
            RootfsArchive rootfs,
            GuestProcess process,
            GuestLayout layout,
            GuestKit kit,
            Optional<Path> baseInitrd,
            Path out)
            throws InitramfsException {
        requirePackedRoot(layout);
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(kit, "kit");
        writeInitramfs(out, baseInitrd, ch -> {
            appendBase(ch, rootfs.file()); // a newc archive is 4-byte aligned already
            try (NewcWriter w = new NewcWriter(ch)) {
                addGuestFiles(w, process, layout, kit, rootfs.hasDev(), rootfs.hasConsole());
                w.finish();
            }
        });
    }

    private static void requireDirectory(Path rootfs) throws InitramfsException {
        if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
            throw new InitramfsException("rootfs " + rootfs + " is not a directory");
        }
    }

    private static void requireInitrd(Optional<Path> baseInitrd) throws InitramfsException {
        Objects.requireNonNull(baseInitrd, "baseInitrd");
        if (baseInitrd.isPresent() && !Files.isRegularFile(baseInitrd.get())) {
            throw new InitramfsException("initrd " + baseInitrd.get() + " is not a regular file");
        }
    }

    /** Writes into a freshly created output file. */
    private interface FileBody<T> {
        T write(FileChannel ch) throws IOException;
    }

    /** Writes the rest of an initramfs. */
    private interface InitramfsBody {
        void write(FileChannel ch) throws IOException;
    }

    /** Writes an initramfs: the base initrd first when there is one, then what {@code body} adds. */
    private static void writeInitramfs(Path out, Optional<Path> baseInitrd, InitramfsBody body)
            throws InitramfsException {
        requireInitrd(baseInitrd);
        writeFile(out, "initramfs", ch -> {
            if (baseInitrd.isPresent()) {
                appendBase(ch, baseInitrd.get());
            }
            body.write(ch);
            return null;
        });
    }

    /**
     * Creates {@code out} ({@link #createPrivate}) and has {@code body} write it. On any failure the
     * file is removed and the failure is an {@link InitramfsException}: the rootfs visitor's own, or
     * "cannot write {@code what}" for an I/O error.
     */
    private static <T> T writeFile(Path out, String what, FileBody<T> body) throws InitramfsException {
        boolean ok = false;
        try (FileChannel ch = createPrivate(out)) {
            T result = body.write(ch);
            ok = true;
            return result;
        } catch (UncheckedInitramfsException e) {
            throw e.getCause();
        } catch (IOException e) {
            throw new InitramfsException("cannot write " + what + " " + out + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // the primary failure is reported
                }
            }
        }
    }

    /**
     * Creates {@code out} for writing, readable by root only (0600: it holds the container's
     * environment), never through a symlink planted at its name; an existing file is replaced.
     */
    private static FileChannel createPrivate(Path out) throws IOException {
        Files.deleteIfExists(out); // removes a link itself, never its target
        return FileChannel.open(
                out,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static void appendBase(FileChannel ch, Path base) throws IOException {
        try (FileChannel in = FileChannel.open(base, StandardOpenOption.READ)) {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += ch.transferFrom(in, done, size - done);
            }
            ch.position(size);
            int pad = (int) ((4 - (size & 3)) & 3);
            if (pad > 0) {
                ch.write(java.nio.ByteBuffer.allocate(pad));
            }
        }
    }

    /**
     * Writes {@code out} as a boot-only initramfs: {@code /dev/console}, our init, the process
     * description with the layout and, for the standard flavour, the modules; no rootfs. The init
     * mounts {@code layout.root()} (a block device or a 9p share) and switches to it. A few hundred KB,
     * whatever the image's size.
     */
    public void writeBoot(GuestProcess process, GuestLayout layout, GuestKit kit, Path out) throws InitramfsException {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(kit, "kit");
        if (layout.root().isEmpty()) {
            throw new IllegalArgumentException("a boot-only initramfs needs a root to switch to");
        }
        writeInitramfs(out, Optional.empty(), ch -> {
            try (NewcWriter w = new NewcWriter(ch)) {
                addGuestFiles(w, process, layout, kit, false, false);
                w.finish();
            }
        });
    }

    private static void addGuestFiles(
            NewcWriter w, GuestProcess process, GuestLayout layout, GuestKit kit, boolean hasDev, boolean hasConsole)
            throws IOException {
        long now = System.currentTimeMillis() / 1000;
        if (!hasDev) {
            w.directory("dev", 0755, 0, 0, now);
        }
        if (!hasConsole) {
            w.node("dev/console", NewcWriter.S_IFCHR | 0600, 0, 0, now, CONSOLE_MAJOR, CONSOLE_MINOR);
        }
        w.directory(JURUNC_DIR, 0755, 0, 0, now);
        copy(w, JURUNC_DIR + "/init", 0755, kit.init(), now);
        w.bytes(JURUNC_DIR + "/process", NewcWriter.S_IFREG | 0400, 0, 0, now, ProcessFile.encode(process, layout));
        if (kit.flavor() == KernelFlavor.STANDARD && !kit.modules().isEmpty()) {
            w.directory(JURUNC_DIR + "/ko", 0755, 0, 0, now);
            StringBuilder list = new StringBuilder();
            for (Path ko : kit.modules()) {
                String name = JURUNC_DIR + "/ko/" + ko.getFileName();
                copy(w, name, 0644, ko, now);
                list.append('/').append(name).append('\n');
            }
            w.bytes(
                    JURUNC_DIR + "/modules",
                    NewcWriter.S_IFREG | 0644,
                    0,
                    0,
                    now,
                    list.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void copy(NewcWriter w, String name, int perm, Path src, long mtime) throws IOException {
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            w.file(name, perm, 0, 0, mtime, in, in.size());
        }
    }

    /** Streams every entry of the rootfs into the archive, parents before children. */
    private static final class RootfsVisitor extends SimpleFileVisitor<Path> {
        private static final String UNIX_ATTRS = "unix:mode,uid,gid,rdev,size,lastModifiedTime";
        private final Path root;
        private final NewcWriter w;
        private final long maxBytes;
        private long dataBytes;
        boolean hasDev;
        boolean hasConsole;

        RootfsVisitor(Path root, NewcWriter w, long maxBytes) {
            this.root = root;
            this.w = w;
            this.maxBytes = maxBytes;
        }

        private String name(Path p) {
            // Path.toString() joins with '/', the separator the archive needs.
            return root.relativize(p).toString();
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
            }
            String name = name(dir);
            if (name.equals(JURUNC_DIR)) {
                return FileVisitResult.SKIP_SUBTREE; // replaced by ours
            }
            Map<String, Object> a = unix(dir);
            w.directory(name, (int) a.get("mode"), (int) a.get("uid"), (int) a.get("gid"), mtime(a));
            if (name.equals("dev")) {
                hasDev = true;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            String name = name(file);
            Map<String, Object> a = unix(file);
            int mode = (int) a.get("mode");
            int uid = (int) a.get("uid");
            int gid = (int) a.get("gid");
            long mtime = mtime(a);
            switch (mode & NewcWriter.S_IFMT) {
                case NewcWriter.S_IFREG -> {
                    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        long size = in.size();
                        dataBytes += size;
                        if (dataBytes > maxBytes) {
                            throw new UncheckedInitramfsException(new InitramfsException("the rootfs holds more than "
                                    + (maxBytes >> 20) + " MiB of file data (at " + name + ", " + (size >> 20)
                                    + " MiB; sparse files "
                                    + "count at their full size): an initramfs lives in guest RAM; use a block rootfs "
                                    + "(com.urunc.unikernel.block) or a smaller image"));
                        }
                        w.file(name, mode, uid, gid, mtime, in, size);
                    }
                }
                case NewcWriter.S_IFLNK -> {
                    String target = Files.readSymbolicLink(file).toString();
                    w.symlink(name, target, uid, gid, mtime);
                }
                case NewcWriter.S_IFCHR, NewcWriter.S_IFBLK -> {
                    long rdev = ((Number) a.get("rdev")).longValue();
                    w.node(name, mode, uid, gid, mtime, major(rdev), minor(rdev));
                    if (name.equals("dev/console")) {
                        hasConsole = true;
                    }
                }
                case NewcWriter.S_IFIFO -> w.node(name, mode, uid, gid, mtime, 0, 0);
                default -> {
                    // sockets and anything else cannot live in an archive: skipped
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
            throw new UncheckedInitramfsException(
                    new InitramfsException("cannot read " + file + " in the rootfs: " + exc, exc));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> unix(Path p) throws IOException {
            return Files.readAttributes(p, UNIX_ATTRS, LinkOption.NOFOLLOW_LINKS);
        }

        private static long mtime(Map<String, Object> a) {
            return ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        }

        // glibc's encoding of dev_t
        private static int major(long dev) {
            return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
        }

        private static int minor(long dev) {
            return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
        }
    }

    /** Carries a typed failure out of the file visitor. */
    private static final class UncheckedInitramfsException extends RuntimeException {
        UncheckedInitramfsException(InitramfsException cause) {
            super(cause);
        }

        @Override
        public synchronized InitramfsException getCause() {
            return (InitramfsException) super.getCause();
        }
    }

    /** A packed rootfs is the guest's root: a layout naming another root belongs to writeBoot. */
    private static void requirePackedRoot(GuestLayout layout) {
        Objects.requireNonNull(layout, "layout");
        if (layout.root().isPresent()) {
            throw new IllegalArgumentException("a packed rootfs is the root: use writeBoot for another root");
        }
    }
}
