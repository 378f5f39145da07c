package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.VmUnsupportedException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code checkpoint} with runc's flags: runc's containers go to runc (CRIU); microVMs are refused. */
@Command(name = "checkpoint", description = "checkpoint a container (runc's containers only)")
final class CheckpointCommand extends ContainerCommand {
    static final String REFUSAL = "checkpoint/restore is not supported for microVMs";

    @Option(names = "--image-path")
    String imagePath;

    @Option(names = "--work-path")
    String workPath;

    @Option(names = "--parent-path")
    String parentPath;

    @Option(names = "--leave-running")
    boolean leaveRunning;

    @Option(names = "--tcp-established")
    boolean tcpEstablished;

    @Option(names = "--ext-unix-sk")
    boolean extUnixSk;

    @Option(names = "--shell-job")
    boolean shellJob;

    @Option(names = "--lazy-pages")
    boolean lazyPages;

    @Option(names = "--status-fd")
    String statusFd;

    @Option(names = "--page-server")
    String pageServer;

    @Option(names = "--file-locks")
    boolean fileLocks;

    @Option(names = "--pre-dump")
    boolean preDump;

    @Option(names = "--manage-cgroups-mode")
    String manageCgroupsMode;

    @Option(names = "--empty-ns")
    List<String> emptyNs;

    @Option(names = "--auto-dedup")
    boolean autoDedup;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        if (!isOurs(id)) return top.handOverToRunc();
        throw new VmUnsupportedException(REFUSAL + ": '" + id + "'");
    }
}
