package io.jurunc.builder.plan;

import io.jurunc.builder.os.NoFollowFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One node of an image file tree. {@code path} is relative to the image root, normalised, with no
 * leading or trailing slash (e.g. {@code bin/busybox}). A hard link names the image path of the file
 * it shares its inode with in {@code linkTarget} and carries that file's content and mode, so a
 * writer that cannot link can still copy.
 */
public record FileEntry(String path, Kind kind, Content content, int mode, int uid, int gid, String linkTarget) {
    public enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARDLINK
    }

    /** Where a regular file's bytes come from. */
    public sealed interface Content {
        /**
         * A file read from the host: every component from {@code root} (a trusted, resolved directory
         * such as the context's real path) to {@code file} is opened without following links, so a
         * file checked at planning time that is swapped for a link before it is read is refused.
         */
        record OnDisk(Path file, Path root) implements Content {
            public OnDisk {
                Objects.requireNonNull(file);
                Objects.requireNonNull(root);
                if (!file.startsWith(root) || file.equals(root)) {
                    throw new IllegalArgumentException(file + " is not below " + root);
                }
            }

            /** A private or trusted file (work directory, --kernel): only its last component is not followed. */
            public OnDisk(Path file) {
                this(file.toAbsolutePath(), file.toAbsolutePath().getParent());
            }

            /** Opens the file for reading ({@link NoFollowFiles#open}). */
            public FileChannel open() throws IOException {
                return NoFollowFiles.open(root, file);
            }
        }

        record InMemory(byte[] bytes) implements Content {}

        record Empty() implements Content {}
    }

    public FileEntry {
        Objects.requireNonNull(path);
        Objects.requireNonNull(kind);
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("entry path must be relative and normalised: " + path);
        }
        content = content == null ? new Content.Empty() : content;
        mode &= 07777;
    }

    public static FileEntry file(String path, Path source, int mode) {
        return new FileEntry(path, Kind.FILE, new Content.OnDisk(source), mode, 0, 0, null);
    }

    /** A file of the build context: opened below {@code root} (the context's real path) without following links. */
    public static FileEntry file(String path, Path source, Path root, int mode) {
        return new FileEntry(path, Kind.FILE, new Content.OnDisk(source, root), mode, 0, 0, null);
    }

    public static FileEntry bytes(String path, byte[] bytes, int mode) {
        return new FileEntry(path, Kind.FILE, new Content.InMemory(bytes), mode, 0, 0, null);
    }

    public static FileEntry directory(String path, int mode) {
        return new FileEntry(path, Kind.DIRECTORY, null, mode, 0, 0, null);
    }

    public static FileEntry symlink(String path, String target) {
        return new FileEntry(path, Kind.SYMLINK, null, 0777, 0, 0, target);
    }

    /** A hard link at {@code path} to the regular file {@code first}. */
    public static FileEntry hardLink(String path, FileEntry first) {
        if (first.kind() != Kind.FILE) {
            throw new IllegalArgumentException("a hard link must name a regular file: " + first.path());
        }
        return new FileEntry(
                path, Kind.HARDLINK, first.content(), first.mode(), first.uid(), first.gid(), first.path());
    }

    /** A regular file: its own, or a hard link to one. */
    public boolean isRegular() {
        return kind == Kind.FILE || kind == Kind.HARDLINK;
    }

    /** The same content as a plain file (for writers that cannot express the link). */
    public FileEntry asFile() {
        return kind == Kind.HARDLINK ? new FileEntry(path, Kind.FILE, content, mode, uid, gid, null) : this;
    }

    public FileEntry withOwner(int newUid, int newGid) {
        return new FileEntry(path, kind, content, mode, newUid, newGid, linkTarget);
    }

    public FileEntry withMode(int newMode) {
        return new FileEntry(path, kind, content, newMode, uid, gid, linkTarget);
    }

    /** The parent path, or empty for a top-level entry. */
    public static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }
}
