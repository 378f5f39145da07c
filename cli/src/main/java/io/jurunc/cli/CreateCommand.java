package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.CreateOperation;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code create}: sets up the sandbox and leaves the future monitor waiting for {@code start}. */
@Command(name = "create", description = "create a container")
final class CreateCommand extends ContainerCommand {
    @Mixin
    CreateOptions opts;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.selects(opts.bundle)) return WasmHook.create(top, id, opts);
        Optional<Bundle> b = unikernelBundle(opts.bundle);
        if (b.isEmpty()) return top.handOverToRunc();
        new CreateOperation(top.context()).run(opts.request(id, b.get()));
        return 0;
    }
}
