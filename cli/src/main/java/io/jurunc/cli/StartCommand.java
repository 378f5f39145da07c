package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.StartOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start}: the waiting process execs the monitor. */
@Command(name = "start", description = "start a created container")
final class StartCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.owns(top, id)) return WasmHook.start(top, id);
        if (!isOurs(id)) return top.handOverToRunc();
        new StartOperation(top.context()).run(id);
        return 0;
    }
}
