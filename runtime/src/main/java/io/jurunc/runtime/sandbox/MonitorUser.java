package io.jurunc.runtime.sandbox;

import java.util.List;

/**
 * The unprivileged user the monitor runs as: never uid or gid 0.
 *
 * @param groups supplementary groups (e.g. the group that owns /dev/kvm)
 */
public record MonitorUser(int uid, int gid, List<Integer> groups) {
    public MonitorUser {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("the monitor's uid and gid must be > 0, got " + uid + ":" + gid);
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        if (groups.stream().anyMatch(g -> g <= 0)) {
            throw new IllegalArgumentException("the monitor's supplementary groups must be > 0, got " + groups);
        }
    }

    public MonitorUser withGroup(int gid) {
        if (gid <= 0 || gid == this.gid || groups.contains(gid)) return this;
        List<Integer> g = new java.util.ArrayList<>(groups);
        g.add(gid);
        return new MonitorUser(uid, this.gid, g);
    }
}
