package io.jurunc.builder.plan;

import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical path handling for paths inside the image (always '/'-separated, never the host's rules). */
public final class ImagePaths {
    private ImagePaths() {}

    /** Resolves {@code path} against {@code workdir} and cleans it; returns an absolute path. */
    public static String absolute(String workdir, String path) {
        String joined = path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
        Deque<String> parts = new ArrayDeque<>();
        for (String p : joined.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** The entry form: no leading slash; "" is the root. */
    public static String relative(String path) {
        String a = absolute("/", path);
        return a.substring(1);
    }

    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
