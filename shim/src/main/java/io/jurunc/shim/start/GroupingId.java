package io.jurunc.shim.start;

import java.util.List;
import java.util.Map;

/**
 * Which daemon a container belongs to: the first of {@code io.containerd.runc.v2.group} and
 * {@code io.kubernetes.cri.sandbox-id} present in the bundle's annotations, else the container id. With
 * {@link #NODE_GROUP} configured, every container of a namespace shares one daemon.
 */
public final class GroupingId {
    public static final List<String> ANNOTATIONS = List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");
    /** Environment variable that, when set to "node", makes one daemon serve all containers of a namespace. */
    public static final String SCOPE_ENV = "JURUNC_SHIM_SCOPE";
    public static final String NODE_GROUP = "jurunc-node";

    private GroupingId() {
    }

    public static String of(String containerId, Map<String, String> annotations, String scope) {
        if ("node".equals(scope)) {
            return NODE_GROUP;
        }
        for (String key : ANNOTATIONS) {
            String v = annotations.get(key);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return containerId;
    }
}
