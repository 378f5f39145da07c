package io.jurunc.build.plan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One node of an image file tree. {@code path} is relative to the image root, normalised, with no
 * leading or trailing slash (e.g. {@code bin/busybox}).
 */
public record FileEntry(String path, Kind kind, Content content, int mode, int uid, int gid, String linkTarget) {
    public enum Kind { FILE, DIRECTORY, SYMLINK }

    /** Where a regular file's bytes come from. */
    public sealed interface Content {
        record OnDisk(Path file) implements Content { }

        record InMemory(byte[] bytes) implements Content { }

        record Empty() implements Content { }
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

    public static FileEntry bytes(String path, byte[] bytes, int mode) {
        return new FileEntry(path, Kind.FILE, new Content.InMemory(bytes), mode, 0, 0, null);
    }

    public static FileEntry directory(String path, int mode) {
        return new FileEntry(path, Kind.DIRECTORY, null, mode, 0, 0, null);
    }

    public static FileEntry symlink(String path, String target) {
        return new FileEntry(path, Kind.SYMLINK, null, 0777, 0, 0, target);
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
