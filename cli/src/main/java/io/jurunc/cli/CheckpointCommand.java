package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.VmUnsupportedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code checkpoint} with runc's flags: runc's containers go to runc (CRIU); microVMs are refused. */
@Command(name = "checkpoint", description = "checkpoint a container (runc's containers only)")
final class CheckpointCommand extends ContainerCommand {
    static final String REFUSAL = "checkpoint/restore is not supported for microVMs";

    @Option(names = "--parent-path")
    String parentPath;

    @Option(names = "--leave-running")
    boolean leaveRunning;

    @Option(names = "--status-fd")
    String statusFd;

    @Option(names = "--page-server")
    String pageServer;

    @Option(names = "--pre-dump")
    boolean preDump;

    @Mixin
    CriuOptions criu;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        throw new VmUnsupportedException(REFUSAL + ": '" + id + "'");
    }
}
