package io.jurunc.runtime.lifecycle;

import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import io.jurunc.runtime.state.ContainerRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The monitor's cgroup as create recorded it ({@code sandbox.cgroupDirs}): on cgroup v2 one directory
 * for every controller, on v1 one directory per hierarchy ({@code /sys/fs/cgroup/<hierarchy>/<path>};
 * a co-mounted {@code cpu,cpuacct} serves both names). Pause, stats and update read and write its files
 * through {@link Host}.
 *
 * @param dirs controller name → directory; on v2 the single directory under {@link #V2}
 */
record SandboxCgroup(boolean v2, Map<String, Path> dirs) {
    static final Path MOUNT = Path.of("/sys/fs/cgroup");
    static final String V2 = "";

    SandboxCgroup {
        dirs = Map.copyOf(dirs);
    }

    /** Empty when the container has no cgroup (its spec named no {@code linux.cgroupsPath}). */
    static Optional<SandboxCgroup> of(ContainerRecord r, Host host) throws HostException {
        if (r.sandbox() == null || r.sandbox().cgroupDirs().isEmpty()) return Optional.empty();
        boolean v2 = host.readControl(MOUNT.resolve("cgroup.controllers")).isPresent();
        Map<String, Path> m = new LinkedHashMap<>();
        for (String d : r.sandbox().cgroupDirs()) {
            Path p = Path.of(d);
            if (v2) {
                m.put(V2, p);
                break;
            }
            if (!p.startsWith(MOUNT) || p.getNameCount() <= MOUNT.getNameCount() + 1) continue;
            for (String c : MOUNT.relativize(p).getName(0).toString().split(",")) m.putIfAbsent(c, p);
        }
        return m.isEmpty() ? Optional.empty() : Optional.of(new SandboxCgroup(v2, m));
    }

    /** The directory holding {@code controller}'s files, if that controller is there. */
    Optional<Path> dir(String controller) {
        return Optional.ofNullable(v2 ? dirs.get(V2) : dirs.get(controller));
    }

    /** {@code <dir of controller>/<file>}, if the controller is there. */
    Optional<Path> file(String controller, String file) {
        return dir(controller).map(d -> d.resolve(file));
    }

    /** The file's content, empty when the controller or the file is missing. */
    Optional<String> read(Host host, String controller, String file) throws HostException {
        Optional<Path> f = file(controller, file);
        return f.isEmpty() ? Optional.empty() : host.readControl(f.get());
    }

    /** Whether this cgroup can be frozen: v2 always (cgroup.freeze), v1 with the freezer hierarchy. */
    boolean canFreeze() {
        return v2 || dirs.containsKey("freezer");
    }
}
