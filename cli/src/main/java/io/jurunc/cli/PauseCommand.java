package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.PauseOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pause}: QEMU stop over QMP and/or the cgroup freezer; runc's containers go to runc. */
@Command(name = "pause", description = "suspend all processes of the container (the whole microVM)")
final class PauseCommand extends ContainerCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        new PauseOperation(top.context()).run(id);
        return 0;
    }
}
