package io.jurunc.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How create confined the monitor, persisted for start (the user, the tap owner) and delete (what
 * to free).
 *
 * @param uidAllocated the uid came from the [sandbox] range (root container) and is freed on delete
 * @param cgroupDirs the cgroup directories this container owns, removed on delete
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxRecord(
        int monitorUid, int monitorGid, List<Integer> groups, boolean uidAllocated, List<String> cgroupDirs) {
    public SandboxRecord {
        groups = groups == null ? List.of() : List.copyOf(groups);
        cgroupDirs = cgroupDirs == null ? List.of() : List.copyOf(cgroupDirs);
    }

    /** The same user, owning these cgroup directories. */
    public SandboxRecord withCgroupDirs(List<String> dirs) {
        return new SandboxRecord(monitorUid, monitorGid, groups, uidAllocated, dirs);
    }
}
