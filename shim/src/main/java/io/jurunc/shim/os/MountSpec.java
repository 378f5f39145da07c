package io.jurunc.shim.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One containerd {@code Mount} turned into mount(2) arguments: options that are mount flags become
 * {@link #flags}, the rest are joined into {@link #data} (e.g. overlay's lowerdir/upperdir/workdir).
 */
public record MountSpec(String type, String source, long flags, String data, boolean remountReadOnly) {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_NOATIME = 1024;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_SHARED = 1 << 20;

    private static final Map<String, Long> SET = Map.ofEntries(
            Map.entry("ro", MS_RDONLY),
            Map.entry("nosuid", MS_NOSUID),
            Map.entry("nodev", MS_NODEV),
            Map.entry("noexec", MS_NOEXEC),
            Map.entry("noatime", MS_NOATIME),
            Map.entry("bind", MS_BIND),
            Map.entry("rbind", MS_BIND | MS_REC),
            Map.entry("private", MS_PRIVATE),
            Map.entry("rprivate", MS_PRIVATE | MS_REC),
            Map.entry("slave", MS_SLAVE),
            Map.entry("rslave", MS_SLAVE | MS_REC),
            Map.entry("shared", MS_SHARED),
            Map.entry("rshared", MS_SHARED | MS_REC));
    private static final List<String> CLEARING = List.of("rw", "suid", "dev", "exec", "atime", "defaults");

    public MountSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
    }

    /**
     * Parses containerd's representation. A read-only bind needs a second, remounting call, which
     * {@link #remountReadOnly} requests.
     *
     * @throws IllegalArgumentException if the type is empty
     */
    public static MountSpec parse(String type, String source, List<String> options) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("rootfs mount of " + source + " has no type");
        }
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            Long flag = SET.get(option);
            if (flag != null) {
                flags |= flag;
            } else if (!CLEARING.contains(option)) {
                data.add(option);
            }
        }
        boolean bind = type.equals("bind") || (flags & MS_BIND) != 0;
        if (bind) {
            flags |= MS_BIND;
        }
        boolean remountRo = bind && (flags & MS_RDONLY) != 0;
        return new MountSpec(bind ? "" : type, source, flags, String.join(",", data), remountRo);
    }
}
