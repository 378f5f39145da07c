package io.jurunc.runtime.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A directory the monitor shares with the guest over virtio-9p ({@code -fsdev local} served by the
 * confined monitor itself). The sandbox helper binds each host path at {@link Bind#at()} inside the
 * monitor's minimal root, under {@value #ROOT}; the monitor exports {@link #at()}.
 *
 * @param tag the 9p mount tag the guest mounts ({@code m0}, {@code m1}…, {@code files}, {@code rootfs})
 * @param at the exported directory in the monitor's root
 * @param readOnly whether the monitor exports it read-only ({@code readonly=on})
 * @param binds host paths bound into it: one directory bound on {@code at}, or files bound under it
 */
public record SharedDir(String tag, Path at, boolean readOnly, List<Bind> binds) {
    /** Where shared paths appear in the monitor's root; nothing on the host lives there. */
    public static final String ROOT = "/jurunc/shares";

    /** A host path bound at {@code at} in the monitor's root, read-only or not. */
    public record Bind(Path source, Path at, boolean readOnly) {
        public Bind {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(at, "at");
            if (!source.isAbsolute()) throw new IllegalArgumentException("bind source " + source + " is not absolute");
            if (!at.startsWith(ROOT) || at.toString().contains("=")) {
                throw new IllegalArgumentException("bind target " + at + " is not a generated path under " + ROOT);
            }
        }
    }

    public SharedDir {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(at, "at");
        binds = List.copyOf(binds);
        if (!tag.matches("[a-z0-9]{1,31}")) throw new IllegalArgumentException("bad 9p mount tag '" + tag + "'");
        if (!at.equals(Path.of(ROOT, tag)))
            throw new IllegalArgumentException("share " + tag + " must be at " + ROOT + "/" + tag);
        if (binds.isEmpty()) throw new IllegalArgumentException("share " + tag + " binds nothing");
    }

    /** A host directory shared whole. */
    public static SharedDir directory(String tag, Path source, boolean readOnly) {
        Path at = Path.of(ROOT, tag);
        return new SharedDir(tag, at, readOnly, List.of(new Bind(source, at, readOnly)));
    }
}
