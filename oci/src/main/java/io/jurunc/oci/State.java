package io.jurunc.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The OCI runtime state, as printed by {@code state}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record State(
        String ociVersion, String id, String status, Integer pid, String bundle, Map<String, String> annotations) {
    public State {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
