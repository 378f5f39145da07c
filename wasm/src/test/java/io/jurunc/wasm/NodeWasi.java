package io.jurunc.wasm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jurunc.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The reference: Node's {@code node:wasi} running the same module with the same args, env and preopens. */
final class NodeWasi {
    private NodeWasi() {}

    static WasmToolchain.Result run(
            Path module, List<String> args, Map<String, String> env, Map<String, Path> preopens, byte[] stdin)
            throws IOException, InterruptedException {
        Path script = module.resolveSibling("node-wasi.mjs");
        if (!Files.exists(script)) {
            try (var in = NodeWasi.class.getResourceAsStream("/wasm/node-wasi.mjs")) {
                Files.write(script, in.readAllBytes());
            }
        }
        ObjectNode cfg = Json.mapper().createObjectNode();
        cfg.put("module", module.toString());
        args.forEach(cfg.putArray("args")::add);
        ObjectNode e = cfg.putObject("env");
        env.forEach(e::put);
        ObjectNode p = cfg.putObject("preopens");
        preopens.forEach((g, h) -> p.put(g, h.toString()));
        return WasmToolchain.run(List.of("node", "--no-warnings", script.toString(), cfg.toString()), stdin, 120);
    }
}
