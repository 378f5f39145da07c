package io.jurunc.wasm.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What the CLI keeps for a WASM container in {@code <root>/<id>/wasm.json}: the process that holds the module
 * (its pid and start time, against pid reuse) and the last status the CLI set ({@code created} or
 * {@code running}; {@code stopped} is derived from the process).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WasmState(
        String ociVersion,
        String id,
        String bundle,
        long pid,
        long pidStartTime,
        String status,
        String created,
        Map<String, String> annotations) {
    public static final String FILE = "wasm.json";

    public WasmState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    WasmState withStatus(String s) {
        return new WasmState(ociVersion, id, bundle, pid, pidStartTime, s, created, annotations);
    }
}
