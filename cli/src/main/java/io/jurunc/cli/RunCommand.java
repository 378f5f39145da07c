package io.jurunc.cli;

import io.jurunc.libc.ErrnoException;
import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.CreateOperation;
import io.jurunc.runtime.lifecycle.DeleteOperation;
import io.jurunc.runtime.lifecycle.StartOperation;
import io.jurunc.runtime.ports.SandboxException;
import io.jurunc.runtime.sys.Syscalls;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run}: create + start; in the foreground it waits for the VM, then deletes it. */
@Command(name = "run", description = "create and start a container")
final class RunCommand extends ContainerCommand {
    @Option(
            names = {"-d", "--detach"},
            description = "do not wait for the container")
    boolean detach;

    @Option(names = "--keep", description = "do not delete the container after it exits")
    boolean keep;

    @Mixin
    CreateOptions opts;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int execute() throws JuruncException {
        Optional<Bundle> b = unikernelBundle(opts.bundle);
        if (b.isEmpty()) return top.handOverToRunc();
        var ctx = top.context();
        if (!detach) {
            // A monitor forked into its own pid namespace is orphaned by its sandbox helper: as the
            // subreaper, this process gets it back as a child and can wait for its exit status.
            becomeSubreaper();
        }
        CreateOperation.Created created = new CreateOperation(ctx).run(opts.request(id, b.get()));
        try {
            new StartOperation(ctx).run(id);
        } catch (JuruncException e) {
            new DeleteOperation(ctx).run(id, true);
            throw e;
        }
        if (detach) return 0;
        int status = 0;
        if (created.process().isPresent()) {
            try {
                status = created.process().get().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            status = waitForForked(Math.toIntExact(created.record().pid()));
        }
        if (!keep) new DeleteOperation(ctx).run(id, true);
        return status;
    }

    private static void becomeSubreaper() throws JuruncException {
        try {
            Syscalls.linux().becomeChildSubreaper();
        } catch (ErrnoException e) {
            throw new SandboxException("run: cannot wait for the container in the foreground: " + e.getMessage(), e);
        }
    }

    private static int waitForForked(int pid) throws JuruncException {
        try {
            return Syscalls.linux().waitExit(pid);
        } catch (ErrnoException e) {
            throw new SandboxException("run: waiting for the container's process " + pid + ": " + e.getMessage(), e);
        }
    }
}
