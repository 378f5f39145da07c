package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.ResumeOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code resume}: thaws and continues a paused microVM; runc's containers go to runc. */
@Command(name = "resume", description = "resume a paused container")
final class ResumeCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        new ResumeOperation(top.context()).run(id);
        return 0;
    }
}
