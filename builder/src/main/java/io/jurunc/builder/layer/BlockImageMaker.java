package io.jurunc.builder.layer;

import io.jurunc.builder.InputException;
import io.jurunc.builder.ToolException;
import io.jurunc.builder.os.ProcessRunner;
import io.jurunc.builder.plan.FileEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes an ext4 or erofs image from entries with Debian's {@code mkfs.ext4 -d} or {@code mkfs.erofs}.
 * Entries are staged in a directory with fixed mtimes; the tools get a fixed UUID, hash seed and
 * time, and root ownership, so the image is reproducible.
 */
public final class BlockImageMaker {
    static final String FIXED_UUID = "6a7572756e632d626c6f636b2d2d2d31";
    private final ProcessRunner runner;
    private final Instant mtime;

    public BlockImageMaker(ProcessRunner runner, Instant mtime) {
        this.runner = runner;
        this.mtime = mtime;
    }

    public void make(List<FileEntry> entries, String fs, Path staging, Path output) throws IOException {
        long bytes = 0;
        List<FileEntry> all = EntryTree.normalise(entries);
        Path root = staging.toRealPath();
        for (FileEntry e : all) {
            Path p = stagingPath(root, e);
            switch (e.kind()) {
                case DIRECTORY -> Files.createDirectory(p);
                case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                case HARDLINK -> {
                    Path first = root.resolve(e.linkTarget());
                    if (Files.isRegularFile(first, LinkOption.NOFOLLOW_LINKS)
                            && first.toRealPath().startsWith(root)) {
                        Files.createLink(p, first);
                    } else {
                        bytes += writeFile(e, p);
                    }
                }
                case FILE -> bytes += writeFile(e, p);
            }
            if (e.kind() != FileEntry.Kind.SYMLINK) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx(e.mode())));
            }
        }
        // mtimes last, deepest first, so that creating children does not touch a parent's time
        List<Path> paths = new ArrayList<>();
        for (FileEntry e : all) {
            if (e.kind() != FileEntry.Kind.SYMLINK) {
                paths.add(root.resolve(e.path()));
            }
        }
        paths.add(root);
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime(paths.get(i), FileTime.from(mtime));
        }
        String uuid = FIXED_UUID.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
        List<String> argv;
        if (fs.equals("erofs")) {
            argv = List.of(
                    "mkfs.erofs",
                    "-T" + mtime.getEpochSecond(),
                    "-U" + uuid,
                    "--all-root",
                    "-x-1",
                    "--quiet",
                    output.toString(),
                    staging.toString());
        } else {
            long kib = Math.max(4096, (bytes * 13 / 10 + all.size() * 8192L) / 1024 + 2048);
            argv = List.of(
                    "mkfs.ext4",
                    "-q",
                    "-F",
                    "-b",
                    "4096",
                    "-U",
                    uuid,
                    "-E",
                    "root_owner=0:0,hash_seed=" + uuid,
                    "-d",
                    staging.toString(),
                    output.toString(),
                    kib + "k");
        }
        Map<String, String> env = Map.of(
                "E2FSPROGS_FAKE_TIME",
                Long.toString(mtime.getEpochSecond()),
                "SOURCE_DATE_EPOCH",
                Long.toString(mtime.getEpochSecond()));
        run(argv, env, fs);
        if (fs.equals("ext4")) {
            // mkfs.ext4 -d copies each source's atime and ctime, which no one can fix on the host;
            // debugfs rewrites every inode's times to the build time, so the image is reproducible.
            StringBuilder cmds = new StringBuilder();
            List<String> targets = new ArrayList<>(List.of("/", "/lost+found"));
            all.forEach(e -> targets.add("/" + e.path()));
            for (String t : targets) {
                for (String field : new String[] {"atime", "ctime", "mtime", "crtime"}) {
                    cmds.append("sif \"")
                            .append(t.replace("\"", "\\\""))
                            .append("\" ")
                            .append(field)
                            .append(' ')
                            .append(mtime.getEpochSecond())
                            .append('\n');
                }
            }
            Path script = staging.resolveSibling(staging.getFileName() + ".debugfs");
            Files.writeString(script, cmds);
            run(List.of("debugfs", "-w", "-f", script.toString(), output.toString()), env, fs);
        }
    }

    /**
     * Where an entry goes in the staging directory. Its parent must be a real directory inside the
     * staging directory: an entry under a symlink (one the rootfs itself holds, pointing anywhere)
     * would otherwise be written wherever that link points, on the host.
     */
    private static Path stagingPath(Path root, FileEntry e) throws IOException {
        Path p = root.resolve(e.path()).normalize();
        Path parent = p.getParent();
        if (!p.startsWith(root)
                || parent == null
                || !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)
                || !parent.toRealPath().equals(parent)) {
            throw new InputException(
                    "rootfs entry /" + e.path() + " lies under a symlink or outside the image",
                    "do not include files under a directory that is a symlink in the rootfs");
        }
        return p;
    }

    /** Creates the file (never through an existing link) and copies its content; returns the byte count. */
    private static long writeFile(FileEntry e, Path p) throws IOException {
        try (OutputStream out = Files.newOutputStream(
                p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            TarLayerWriter.copyContent(e.content(), out);
        }
        return Files.size(p);
    }

    private void run(List<String> argv, Map<String, String> env, String fs) throws IOException {
        ProcessRunner.Result r = runner.run(argv, env, Duration.ofMinutes(5));
        if (r.exitCode() != 0) {
            throw new ToolException(
                    argv.getFirst() + " failed (exit " + r.exitCode() + "): "
                            + r.output().strip(),
                    "install " + (fs.equals("erofs") ? "erofs-utils" : "e2fsprogs") + " or check the included files");
        }
    }

    private static String rwx(int mode) {
        StringBuilder s = new StringBuilder();
        String c = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? c.charAt(i) : '-');
        }
        return s.toString();
    }
}
