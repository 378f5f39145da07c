package io.jurunc.runtime.state;

import java.util.Locale;

/** OCI container status; owns the rules of which operation is legal when. */
public enum ContainerStatus {
    CREATING,
    CREATED,
    RUNNING,
    /** Frozen by {@code pause} (cgroup freezer and/or QEMU stopped over QMP) until {@code resume}. */
    PAUSED,
    STOPPED;

    public String ociName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean canStart() {
        return this == CREATED;
    }

    public boolean canKill() {
        return this == CREATED || this == RUNNING || this == PAUSED;
    }

    /** The monitor process exists (waiting, running or frozen). */
    public boolean isAlive() {
        return this == CREATED || this == RUNNING || this == PAUSED;
    }

    /** Without --force, only containers that are not running (nor paused) may be deleted (as runc). */
    public boolean canDeleteWithoutForce() {
        return this != RUNNING && this != PAUSED;
    }
}
