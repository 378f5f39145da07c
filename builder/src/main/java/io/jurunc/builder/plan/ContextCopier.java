package io.jurunc.builder.plan;

import io.jurunc.builder.BuildFileException;
import io.jurunc.builder.Location;
import io.jurunc.builder.os.NoFollowFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Turns COPY/ADD sources in the build context into image entries, with Docker's rules:
 * several sources (or a wildcard) need a destination ending in {@code /}; a directory's contents
 * (not the directory itself) are copied; a file goes into {@code DEST/} or becomes {@code DEST};
 * sources cannot leave the context; ADD unpacks local tar archives (plain, gzip, bzip2, xz).
 * Modes are normalised for reproducibility: 0755 for directories and owner-executable files, else 0644.
 */
public final class ContextCopier {
    /** Unpacked ADD archives may hold at most this many bytes and entries each (a decompression bomb stops here). */
    public static final long MAX_ARCHIVE_BYTES = 8L << 30;

    public static final int MAX_ARCHIVE_ENTRIES = 1_000_000;
    private final Path context;
    private final Path realContext;
    private final Path scratch;
    private final ContextIgnore ignore;
    private final long archiveByteLimit;

    /**
     * {@code scratch} is a private directory for files unpacked from ADD archives. The context's
     * {@code .containerignore} or {@code .dockerignore} applies.
     */
    public ContextCopier(Path context, Path scratch) {
        this(context, scratch, MAX_ARCHIVE_BYTES);
    }

    /** With an explicit cap on the bytes unpacked from each ADD archive (tests use a small one). */
    public ContextCopier(Path context, Path scratch, long archiveByteLimit) {
        this.context = context.toAbsolutePath().normalize();
        try {
            this.realContext = this.context.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.scratch = scratch;
        this.ignore = ContextIgnore.load(this.context);
        this.archiveByteLimit = archiveByteLimit;
    }

    /**
     * The real path of a context file (all links followed), which must lie inside the context's own
     * real path: a source that is, or passes through, a symlink leading out of the context is refused.
     */
    private Path confined(Path p, String shown, Request r) {
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source \"" + shown + "\" cannot be resolved in the build context ("
                            + e.getClass().getSimpleName() + ")",
                    "check the path and any symlinks on it");
        }
        if (!real.startsWith(realContext)) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source \"" + shown + "\" leads out of the build context through a symlink",
                    "copy the file into the context instead of linking to it");
        }
        return real;
    }

    private boolean ignored(Path p) {
        Path base = p.startsWith(context) ? context : realContext;
        return ignore.ignored(base.relativize(p).toString().replace('\\', '/'));
    }

    public record Request(
            Location location,
            String keyword,
            List<String> sources,
            String destination,
            Integer chmod,
            int uid,
            int gid,
            boolean unpackArchives) {}

    /**
     * @param destination absolute image path; a trailing '/' means "into this directory"
     * @param tree        what earlier layers created, for Docker's "existing directory" rule
     */
    public List<FileEntry> copy(Request r, ImageTree tree) {
        List<Source> sources = new ArrayList<>();
        boolean wildcard = false;
        for (String s : r.sources()) {
            if (s.matches("(?i)(https?|git|ssh)://.*") || s.startsWith("git@")) {
                throw new BuildFileException(
                        r.location(),
                        r.keyword() + " from a URL (" + s + ") is not supported",
                        "download it into the build context and " + r.keyword() + " it from there");
            }
            if (s.matches(".*[*?\\[].*")) {
                wildcard = true;
                List<Path> matched = glob(s, r);
                if (matched.isEmpty()) {
                    throw new BuildFileException(
                            r.location(),
                            r.keyword() + " pattern \"" + s + "\" matches no file in the build context " + context,
                            "check the pattern (it is relative to the context)");
                }
                for (Path m : matched) {
                    sources.add(new Source(m, confined(m, context.relativize(m).toString(), r)));
                }
            } else {
                Path p = inContext(s, r);
                sources.add(new Source(p, confined(p, s, r)));
            }
        }
        String dest = r.destination();
        boolean intoDir = dest.endsWith("/");
        String destPath = ImagePaths.relative(dest);
        if ((sources.size() > 1 || wildcard) && !intoDir) {
            throw new BuildFileException(
                    r.location(),
                    "with several sources the destination \"" + dest + "\" must be a directory",
                    "end the destination with /");
        }
        if (!intoDir && tree.isDirectory(destPath) && !destPath.isEmpty()) {
            intoDir = true;
        }
        List<FileEntry> out = new ArrayList<>();
        for (Source source : sources) {
            Path src = source.real();
            try {
                if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                    if (!destPath.isEmpty()) {
                        out.add(owned(FileEntry.directory(destPath, dirMode(r)), r));
                    }
                    walk(src, destPath, r, out);
                } else if (!Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BuildFileException(
                            r.location(),
                            r.keyword() + " source " + context.relativize(source.named())
                                    + " is not a regular file or directory",
                            "copy only files, directories and links");
                } else if (r.unpackArchives() && isArchive(src)) {
                    unpack(src, destPath, r, out);
                } else {
                    String target = intoDir || destPath.isEmpty()
                            ? ImagePaths.join(
                                    destPath, source.named().getFileName().toString())
                            : destPath;
                    out.add(owned(FileEntry.file(target, src, realContext, fileMode(src, r)), r));
                }
            } catch (IOException e) {
                throw new BuildFileException(
                        r.location(), "cannot read " + src + ": " + e.getMessage(), "check the file's permissions");
            }
        }
        return out;
    }

    private Path inContext(String s, Request r) {
        Path p;
        try {
            p = context.resolve(s.replaceFirst("^/+", "")).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source is not a valid path (" + e.getReason() + ")",
                    "name a file of the build context");
        }
        if (!p.startsWith(context)) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source \"" + s + "\" is outside the build context " + context,
                    "move the file into the context");
        }
        if (!Files.exists(p)) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source \"" + s + "\" does not exist in the build context " + context,
                    "check the path (it is relative to the context) or add the file");
        }
        if (!p.equals(context) && ignored(p)) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " source \"" + s + "\" is excluded by the context's ignore file",
                    "remove its pattern from .containerignore/.dockerignore or add a !exception");
        }
        return p;
    }

    /** A source as named (its last component names the copy) and the real file it is read from. */
    private record Source(Path named, Path real) {}

    private List<Path> glob(String pattern, Request r) {
        String rel = ImagePaths.relative(pattern);
        PathMatcher m;
        try {
            m = FileSystems.getDefault().getPathMatcher("glob:" + rel);
        } catch (IllegalArgumentException e) {
            throw new BuildFileException(
                    r.location(),
                    r.keyword() + " pattern \"" + pattern + "\" is not a valid pattern",
                    "use *, ? and [...] within path components");
        }
        try (Stream<Path> s = Files.walk(context)) {
            return s.filter(p -> !p.equals(context))
                    .filter(p -> m.matches(context.relativize(p)))
                    .filter(p -> !ignored(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void walk(Path dir, String destPath, Request r, List<FileEntry> out) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                if (p.equals(dir) || ignored(p)) {
                    continue;
                }
                String target =
                        ImagePaths.join(destPath, dir.relativize(p).toString().replace('\\', '/'));
                if (Files.isSymbolicLink(p)) {
                    out.add(owned(
                            FileEntry.symlink(target, Files.readSymbolicLink(p).toString()), r));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(owned(FileEntry.directory(target, dirMode(r)), r));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(owned(FileEntry.file(target, p, realContext, fileMode(p, r)), r));
                }
                // sockets, fifos and devices in a context are skipped, as they cannot be copied
            }
        }
    }

    private static FileEntry owned(FileEntry e, Request r) {
        return r.uid() == 0 && r.gid() == 0 ? e : e.withOwner(r.uid(), r.gid());
    }

    private static int dirMode(Request r) {
        return r.chmod() != null ? r.chmod() : 0755;
    }

    private static int fileMode(Path p, Request r) throws IOException {
        if (r.chmod() != null) {
            return r.chmod();
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
        } catch (UnsupportedOperationException e) {
            return 0644;
        }
    }

    private boolean isArchive(Path p) throws IOException {
        byte[] h;
        try (InputStream in = Channels.newInputStream(NoFollowFiles.open(realContext, p))) {
            h = in.readNBytes(512);
        }
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return true;
        }
        if (h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            return true;
        }
        if (h.length >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z') {
            return true;
        }
        return h.length >= 262 && h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    }

    private void unpack(Path archive, String destPath, Request r, List<FileEntry> out) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "add-");
        InputStream raw = new BufferedInputStream(Channels.newInputStream(NoFollowFiles.open(realContext, archive)));
        InputStream in;
        try {
            in = new CompressorStreamFactory().createCompressorInputStream(raw);
        } catch (CompressorException notCompressed) {
            in = raw;
        }
        int n = 0;
        int entries = 0;
        long bytes = 0;
        java.util.Map<String, FileEntry> files = new java.util.HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (++entries > MAX_ARCHIVE_ENTRIES) {
                    throw new BuildFileException(
                            r.location(),
                            "archive " + context.relativize(archive) + " has more than " + MAX_ARCHIVE_ENTRIES
                                    + " entries",
                            "unpack it into the context and COPY the files");
                }
                String name = ImagePaths.relative(e.getName());
                if (name.isEmpty()) {
                    continue;
                }
                String target = ImagePaths.join(destPath, name);
                int mode = r.chmod() != null ? r.chmod() : e.getMode() & 07777;
                int uid = e.getLongUserId() > 0 ? (int) e.getLongUserId() : r.uid();
                int gid = e.getLongGroupId() > 0 ? (int) e.getLongGroupId() : r.gid();
                if (e.isDirectory()) {
                    out.add(new FileEntry(target, FileEntry.Kind.DIRECTORY, null, mode, uid, gid, null));
                } else if (e.isSymbolicLink()) {
                    out.add(owned(FileEntry.symlink(target, e.getLinkName()), r));
                } else if (e.isLink()) {
                    // a hard link: the same content and mode as the file it names (earlier in the archive)
                    FileEntry first = files.get(ImagePaths.join(destPath, ImagePaths.relative(e.getLinkName())));
                    if (first == null) {
                        throw new BuildFileException(
                                r.location(),
                                "archive " + context.relativize(archive) + ": hard link " + name + " names "
                                        + e.getLinkName() + ", which is not a file earlier in the archive",
                                "fix the archive");
                    }
                    FileEntry link = FileEntry.hardLink(target, first);
                    files.put(target, first);
                    out.add(link);
                } else if (e.isFile()) {
                    if (e.getSize() > archiveByteLimit - bytes) {
                        throw new BuildFileException(
                                r.location(),
                                "archive " + context.relativize(archive) + " unpacks to more than " + archiveByteLimit
                                        + " bytes",
                                "unpack it into the context and COPY the files");
                    }
                    Path f = dir.resolve("f" + n++);
                    bytes += Files.copy(tar, f);
                    FileEntry file = new FileEntry(
                            target, FileEntry.Kind.FILE, new FileEntry.Content.OnDisk(f), mode, uid, gid, null);
                    files.put(target, file);
                    out.add(file);
                }
            }
        }
    }
}
