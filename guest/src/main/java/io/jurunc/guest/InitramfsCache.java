package io.jurunc.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Packed rootfs archives, keyed by the content of the image: a container whose rootfs is an overlay
 * of the same read-only layers (containerd's snapshots) with an empty upper directory gets the
 * archive packed for the first such container, and only the guest's own files (init, process,
 * modules) are packed per container. The directory is the runtime user's, mode 0700, entries 0600;
 * its size is bounded, least recently used entries go first.
 */
public final class InitramfsCache {
    public static final Path DEFAULT_DIR = Path.of("/var/cache/jurunc/initramfs");
    public static final long DEFAULT_MAX_BYTES = 1024L << 20;
    private static final String SUFFIX = ".cpio";
    private static final String KEY_VERSION = "jurunc-initramfs-rootfs-v1";

    private final Path dir;
    private final long maxBytes;

    public InitramfsCache(Path dir, long maxBytes) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("cache size must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The content key of {@code rootfs} when it is an overlay mount whose upper directory is empty
     * (or absent): a digest of its lower directories' paths, devices, inodes and change times, in
     * order. Empty for anything else (a plain directory, a written-to container), which is then packed
     * every time.
     *
     * @param mountinfo the text of {@code /proc/self/mountinfo}
     */
    public static Optional<String> overlayKey(Path rootfs, String mountinfo) throws IOException {
        String mountPoint = rootfs.toRealPath().toString();
        String superOptions = null;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || dash + 3 >= f.length) {
                continue; // not a mountinfo line
            }
            if (unescape(f[4]).equals(mountPoint)) {
                // the last mount on a path is the visible one
                superOptions = "overlay".equals(f[dash + 1]) ? f[dash + 3] : null;
            }
        }
        if (superOptions == null) {
            return Optional.empty();
        }
        List<String> lower = List.of();
        Optional<String> upper = Optional.empty();
        for (String opt : split(superOptions, ',')) {
            if (opt.startsWith("lowerdir=")) {
                lower = split(opt.substring("lowerdir=".length()), ':');
            } else if (opt.startsWith("upperdir=")) {
                upper = Optional.of(unescape(opt.substring("upperdir=".length())));
            }
        }
        if (lower.isEmpty()) {
            return Optional.empty();
        }
        if (upper.isPresent()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(upper.get()))) {
                if (entries.iterator().hasNext()) {
                    return Optional.empty(); // the container has written to its rootfs
                }
            }
        }
        StringBuilder key = new StringBuilder(KEY_VERSION).append('\n');
        for (String l : lower) {
            Path p = Path.of(unescape(l));
            key.append(p)
                    .append(' ')
                    .append(Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                    .append(' ')
                    .append(Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS))
                    .append(' ')
                    .append(((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant())
                    .append('\n');
        }
        return Optional.of(sha256(key.toString()));
    }

    /**
     * The archive of {@code rootfs} under {@code key}: the cached one (marked as used), or a new one
     * packed by {@code writer} and stored, after which the oldest entries are evicted beyond the bound.
     */
    public InitramfsWriter.RootfsArchive rootfs(Path rootfs, String key, InitramfsWriter writer)
            throws InitramfsException, IOException {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        ensureDir();
        for (boolean dev : new boolean[] {true, false}) {
            for (boolean console : new boolean[] {true, false}) {
                Path p = entry(key, dev, console);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
                    return new InitramfsWriter.RootfsArchive(p, dev, console);
                }
            }
        }
        Path tmp = Files.createTempFile(
                dir,
                ".packing-",
                SUFFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            InitramfsWriter.RootfsArchive packed = writer.writeRootfs(rootfs, tmp);
            Path target = entry(key, packed.hasDev(), packed.hasConsole());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            evict(target);
            return new InitramfsWriter.RootfsArchive(target, packed.hasDev(), packed.hasConsole());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes least recently used entries (never {@code keep}) until the cache fits its bound. */
    void evict(Path keep) throws IOException {
        record Entry(Path path, long size, long used) {}
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        || p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                long size = Files.size(p);
                total += size;
                entries.add(new Entry(p, size, Files.getLastModifiedTime(p).toMillis()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::used));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                break;
            }
            if (!e.path().equals(keep)) {
                Files.deleteIfExists(e.path());
                total -= e.size();
            }
        }
    }

    /** Creates the directory 0700; refuses one that is a symbolic link or not the runtime user's. */
    private void ensureDir() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another create made it: checked below
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!owner.equals(self)) {
            throw new IOException(dir + " belongs to uid " + owner + ", not to the runtime's uid " + self);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private Path entry(String key, boolean dev, boolean console) {
        return dir.resolve(key + "-" + (dev ? "d" : "") + (console ? "c" : "") + SUFFIX);
    }

    /** Splits at {@code sep} not preceded by a backslash (overlayfs escapes ':' and ',' in paths). */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == sep || s.charAt(i + 1) == '\\')) {
                cur.append(s.charAt(++i));
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** mountinfo's octal escapes ({@code \040} for a space, ...). */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
