package io.jurunc.builder.os;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens a regular file below a trusted directory without following a symlink anywhere on the way:
 * an openat-style walk ({@link SecureDirectoryStream}: {@code openat(dirfd, name, O_NOFOLLOW)} for
 * each directory, then for the file), so a context entry that was checked by its real path and is
 * swapped for a link (or has a parent directory swapped for one) before it is read fails to open
 * instead of reading whatever the link names. Each step is relative to the directory descriptor
 * opened by the step before, so no path is looked up twice.
 */
public final class NoFollowFiles {
    private NoFollowFiles() {}

    /** Opening failed because a component is now a link, or the file is no longer a regular file. */
    public static final class ChangedException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        ChangedException(Path file, String reason) {
            super(file.toString(), null, reason);
        }
    }

    /**
     * Opens {@code file} for reading, walking from {@code root} (itself opened normally: it is the
     * trusted, already resolved directory) through each component of {@code root.relativize(file)}
     * with O_NOFOLLOW. {@code file} must lie below {@code root}.
     */
    public static FileChannel open(Path root, Path file) throws IOException {
        Path rel = root.relativize(file);
        if (rel.toString().isEmpty() || rel.startsWith("..") || rel.isAbsolute()) {
            throw new IllegalArgumentException(file + " is not below " + root);
        }
        DirectoryStream<Path> rootStream = Files.newDirectoryStream(root);
        if (!(rootStream instanceof SecureDirectoryStream<Path> top)) {
            // no openat on this platform: the last component at least is not followed
            rootStream.close();
            return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
        opened.add(top);
        try {
            SecureDirectoryStream<Path> dir = top;
            for (int i = 0; i < rel.getNameCount() - 1; i++) {
                try {
                    dir = dir.newDirectoryStream(rel.getName(i), LinkOption.NOFOLLOW_LINKS);
                } catch (FileSystemException e) {
                    throw new ChangedException(
                            file,
                            "a directory on its path is no longer a directory inside the context ("
                                    + e.getClass().getSimpleName() + ")");
                }
                opened.add(dir);
            }
            Path name = rel.getFileName();
            BasicFileAttributes a;
            try {
                a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (FileSystemException e) {
                throw new ChangedException(file, "it is gone (" + e.getClass().getSimpleName() + ")");
            }
            if (!a.isRegularFile()) {
                throw new ChangedException(file, "it is no longer a regular file");
            }
            SeekableByteChannel ch;
            try {
                ch = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            } catch (FileSystemException e) {
                throw new ChangedException(
                        file, "it is no longer a regular file (" + e.getClass().getSimpleName() + ")");
            }
            return (FileChannel) ch;
        } finally {
            for (DirectoryStream<Path> d : opened) {
                d.close();
            }
        }
    }
}
