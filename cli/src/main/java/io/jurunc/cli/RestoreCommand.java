package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.VmUnsupportedException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code restore} with runc's flags: decided by the bundle, as {@code create} is: an ordinary bundle goes to
 * runc (CRIU), a unikernel/microVM bundle is refused.
 */
@Command(name = "restore", description = "restore a container from a checkpoint (runc's containers only)")
final class RestoreCommand extends ContainerCommand {
    @Option(names = "--console-socket")
    String consoleSocket;

    @Option(names = {"-b", "--bundle"})
    Path bundle;

    @Option(names = {"-d", "--detach"})
    boolean detach;

    @Option(names = "--pid-file")
    String pidFile;

    @Option(names = "--no-subreaper")
    boolean noSubreaper;

    @Option(names = "--no-pivot")
    boolean noPivot;

    @Option(names = "--lsm-profile")
    String lsmProfile;

    @Option(names = "--lsm-mount-context")
    String lsmMountContext;

    @Mixin
    CriuOptions criu;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        Path b = bundle == null ? Path.of("").toAbsolutePath() : bundle;
        if (unikernelBundle(b).isEmpty()) return top.handOverToRunc();
        throw new VmUnsupportedException(CheckpointCommand.REFUSAL + ": '" + id + "' (bundle " + b + ")");
    }
}
