package io.jurunc.builder.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build file sets in the image config, on top of the base image's config. A null list or
 * string means "keep the base's value". {@code resetCmd} is Docker's rule that a new ENTRYPOINT
 * clears an inherited CMD.
 */
public record ConfigChanges(
        Map<String, String> env,
        List<String> cmd,
        List<String> entrypoint,
        boolean resetCmd,
        String workingDir,
        String user,
        Map<String, String> labels,
        List<String> exposedPorts) {
    public ConfigChanges {
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }
}
