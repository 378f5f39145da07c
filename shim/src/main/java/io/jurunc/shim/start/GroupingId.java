package io.jurunc.shim.start;

import java.util.List;
import java.util.Map;

/**
 * Which daemon a container belongs to. By default ({@code node} scope) one daemon serves every container of
 * a containerd namespace on the node: its group is {@link #NODE_GROUP}. With {@code JURUNC_SHIM_SCOPE=pod},
 * the first of {@code io.containerd.runc.v2.group} and {@code io.kubernetes.cri.sandbox-id} present in the
 * bundle's annotations, else the container id (one daemon per pod sandbox, as the runc shim groups).
 */
public final class GroupingId {
    public static final List<String> ANNOTATIONS =
            List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");
    /** Environment variable (containerd's environment) choosing the scope: "node" (default) or "pod". */
    public static final String SCOPE_ENV = "JURUNC_SHIM_SCOPE";

    public static final String NODE_GROUP = "jurunc-node";

    /** How many containers one daemon serves. */
    public enum Scope {
        /** One resident daemon per node and containerd namespace; it stays when its last container goes. */
        NODE,
        /** One daemon per pod sandbox (or per ungrouped container); it exits with its last container. */
        POD;

        /** The scope from {@link #SCOPE_ENV}; unset or empty means {@link #NODE}. */
        public static Scope fromEnv(Map<String, String> env) {
            String v = env.getOrDefault(SCOPE_ENV, "");
            return switch (v) {
                case "", "node" -> NODE;
                case "pod" -> POD;
                default -> throw new IllegalArgumentException(SCOPE_ENV + "=" + v + " is not valid: use node or pod");
            };
        }
    }

    private GroupingId() {}

    public static String of(String containerId, Map<String, String> annotations, Scope scope) {
        if (scope == Scope.NODE) {
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
