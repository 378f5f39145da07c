package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.DeleteOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete}: removes state, tap and temporary files; refuses a live container without --force. */
@Command(name = "delete", description = "delete a container")
final class DeleteCommand extends ContainerCommand {
    @Option(
            names = {"-f", "--force"},
            description = "kill the container first if it is running")
    boolean force;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.owns(top, id)) return WasmHook.delete(top, id, force);
        if (!isOurs(id)) {
            if (isRuncs(id)) return top.handOverToRunc();
            if (force) return 0; // runc: delete --force of a missing container succeeds
            throw new io.jurunc.runtime.state.ContainerNotFoundException(id);
        }
        new DeleteOperation(top.context()).run(id, force);
        return 0;
    }
}
