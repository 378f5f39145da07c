package io.jurunc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jurunc.oci.Json;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.StateQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code state}: the OCI state JSON. */
@Command(name = "state", description = "print the container's OCI state")
final class StateCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.owns(top, id)) return WasmHook.state(top, id);
        if (!isOurs(id)) return top.handOverToRunc();
        try {
            top.out()
                    .println(Json.mapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(new StateQuery(top.context()).run(id)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
