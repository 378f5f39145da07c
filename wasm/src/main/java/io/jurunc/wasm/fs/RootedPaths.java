package io.jurunc.wasm.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root directory the way a chroot would: {@code ..} stops at the root and every
 * symbolic link met on the way, absolute or relative, is resolved again inside the root. The host path
 * returned has no symbolic link in any component but possibly the last (when {@code followFinal} is false).
 * A link that leads out of an image can therefore never reach the host's files.
 */
public final class RootedPaths {
    /** As Linux's MAXSYMLINKS. */
    static final int MAX_LINKS = 40;

    private RootedPaths() {}

    /**
     * @param root an absolute, symlink-free host directory (see {@link #realRoot})
     * @param path a path as the guest sees it, absolute or relative to the root
     */
    public static Path resolve(Path root, String path, boolean followFinal) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            boolean last = todo.stream().allMatch(s -> s.isEmpty() || s.equals("."));
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                done.add(c);
                continue;
            }
            if (a.isSymbolicLink() && (!last || followFinal)) {
                if (++links > MAX_LINKS) {
                    throw new FileSystemException(path, null, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.add(c);
        }
        return join(root, done);
    }

    /** The canonical form of a directory used as a root; fails unless it is a directory. */
    public static Path realRoot(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NoSuchFileException(dir.toString(), null, "not a directory");
        }
        return real;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
