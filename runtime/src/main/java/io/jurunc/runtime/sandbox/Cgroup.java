package io.jurunc.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The monitor's cgroup, from the spec's {@code linux.cgroupsPath}. On a cgroup v2 host
 * ({@code <mount>/cgroup.controllers} exists) one directory gets memory.max and cpu.max; on a v1
 * host the same path is made in the memory and cpu hierarchies (memory.limit_in_bytes,
 * cpu.cfs_quota_us/cpu.cfs_period_us), and in the cpuacct, freezer, pids and blkio hierarchies where
 * they are mounted (pause, stats, update); v2 also enables pids and io where offered. The systemd form {@code slice:prefix:name} maps to
 * {@code /slice/prefix-name.scope}, as runc does without systemd.
 *
 * @param dirs the leaf directories this container owns (removed on delete)
 */
public record Cgroup(List<Path> dirs) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:@+-]+");
    /** v1 hierarchies used when mounted, besides the required memory and cpu ones. */
    private static final List<String> V1_OPTIONAL = List.of("cpuacct", "freezer", "pids", "blkio");
    /** v2 controllers enabled where the parent offers them, besides the required memory and cpu. */
    private static final List<String> V2_OPTIONAL = List.of("pids", "io");

    public Cgroup {
        dirs = List.copyOf(dirs);
    }

    /** The relative cgroup path for {@code cgroupsPath}; refuses {@code ..}, empty and odd segments. */
    public static Path relativePath(String cgroupsPath) throws SandboxSetupException {
        String p = cgroupsPath.trim();
        if (!p.startsWith("/") && p.split(":", -1).length == 3) {
            String[] s = p.split(":", -1);
            p = "/" + s[0] + "/" + s[1] + "-" + s[2] + ".scope";
        }
        List<String> segs = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty()) continue;
            if (seg.equals(".") || seg.equals("..") || !SEGMENT.matcher(seg).matches()) {
                throw new SandboxSetupException("linux.cgroupsPath '" + cgroupsPath + "': segment '" + seg
                        + "' is not allowed (letters, digits and _.:@+- only, no . or ..)");
            }
            segs.add(seg);
        }
        if (segs.isEmpty()) throw new SandboxSetupException("linux.cgroupsPath '" + cgroupsPath + "' names no cgroup");
        return Path.of(String.join("/", segs));
    }

    /** Creates the cgroup under {@code mount} (normally /sys/fs/cgroup) and applies the limits. */
    public static Cgroup create(Path mount, String cgroupsPath, CgroupLimits limits) throws SandboxSetupException {
        Path rel = relativePath(cgroupsPath);
        List<Path> made = new ArrayList<>();
        try {
            if (Files.exists(mount.resolve("cgroup.controllers"))) {
                Path dir = mount.resolve(rel);
                enableControllers(mount, rel);
                mkdir(dir, made);
                if (limits.memoryBytes().isPresent())
                    write(dir.resolve("memory.max"), limits.memoryBytes().getAsLong() + "");
                if (limits.cpuQuotaUs().isPresent()) {
                    write(
                            dir.resolve("cpu.max"),
                            limits.cpuQuotaUs().getAsLong() + " "
                                    + limits.cpuPeriodUs().getAsLong());
                }
            } else {
                Path mem = mount.resolve("memory");
                Path cpu = mount.resolve("cpu");
                if (!Files.isDirectory(mem) || !Files.isDirectory(cpu)) {
                    throw new SandboxSetupException(
                            "neither cgroup v2 nor the v1 memory and cpu hierarchies are mounted under " + mount
                                    + "; mount them or leave linux.cgroupsPath out");
                }
                mkdir(mem.resolve(rel), made);
                mkdir(cpu.resolve(rel), made);
                // pause (freezer), stats (cpuacct, pids, blkio) and update (pids) use these where mounted.
                for (String h : V1_OPTIONAL) {
                    Path hierarchy = mount.resolve(h);
                    if (Files.isDirectory(hierarchy) && !made.contains(hierarchy.resolve(rel)))
                        mkdir(hierarchy.resolve(rel), made);
                }
                if (limits.memoryBytes().isPresent()) {
                    write(
                            mem.resolve(rel).resolve("memory.limit_in_bytes"),
                            limits.memoryBytes().getAsLong() + "");
                }
                if (limits.cpuQuotaUs().isPresent()) {
                    write(
                            cpu.resolve(rel).resolve("cpu.cfs_period_us"),
                            limits.cpuPeriodUs().getAsLong() + "");
                    write(
                            cpu.resolve(rel).resolve("cpu.cfs_quota_us"),
                            limits.cpuQuotaUs().getAsLong() + "");
                }
            }
            return new Cgroup(made.stream().filter(d -> d.endsWith(rel)).toList());
        } catch (SandboxSetupException e) {
            new Cgroup(made).removeQuietly(e);
            throw e;
        }
    }

    /** Moves the process into every directory of this cgroup. */
    public void enter(long pid) throws SandboxSetupException {
        for (Path d : dirs) write(d.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** Removes the directories (they must be empty of processes by then). Missing ones are fine. */
    public void remove() throws SandboxSetupException {
        for (Path d : dirs.reversed()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                throw new SandboxSetupException("cannot remove cgroup " + d + ": " + e.getMessage(), e);
            }
        }
    }

    private void removeQuietly(Exception failure) {
        try {
            remove();
        } catch (SandboxSetupException e) {
            failure.addSuppressed(e);
        }
    }

    /** cgroup v2 only hands a controller to children when every ancestor lists it in subtree_control. */
    private static void enableControllers(Path mount, Path rel) throws SandboxSetupException {
        Path d = mount;
        for (int i = 0; i < rel.getNameCount(); i++) {
            String have = read(d.resolve("cgroup.subtree_control"));
            for (String c : List.of("memory", "cpu")) {
                if (!List.of(have.trim().split("\\s+")).contains(c))
                    write(d.resolve("cgroup.subtree_control"), "+" + c);
            }
            List<String> offered = Files.exists(d.resolve("cgroup.controllers"))
                    ? List.of(read(d.resolve("cgroup.controllers")).trim().split("\\s+"))
                    : List.of();
            for (String c : V2_OPTIONAL) {
                if (offered.contains(c) && !List.of(have.trim().split("\\s+")).contains(c)) {
                    write(d.resolve("cgroup.subtree_control"), "+" + c);
                }
            }
            d = d.resolve(rel.getName(i));
            if (i < rel.getNameCount() - 1 && !Files.isDirectory(d)) {
                try {
                    Files.createDirectory(d);
                } catch (IOException e) {
                    throw new SandboxSetupException("cannot create cgroup " + d + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** mkdir -p, recording every directory it made (so that a failure removes only those). */
    private static void mkdir(Path dir, List<Path> made) throws SandboxSetupException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) missing.addFirst(d);
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
                made.add(d);
            } catch (IOException e) {
                throw new SandboxSetupException("cannot create cgroup " + d + ": " + e.getMessage(), e);
            }
        }
        if (missing.isEmpty()) made.add(dir); // an existing leaf: still ours to fill and remove
    }

    private static String read(Path f) throws SandboxSetupException {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new SandboxSetupException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path f, String value) throws SandboxSetupException {
        try {
            Files.writeString(f, value);
        } catch (IOException e) {
            throw new SandboxSetupException("cannot write '" + value + "' to " + f + ": " + e.getMessage(), e);
        }
    }
}
