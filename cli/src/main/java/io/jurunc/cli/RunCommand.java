package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.CreateOperation;
import io.jurunc.runtime.lifecycle.CreateRequest;
import io.jurunc.runtime.lifecycle.DeleteOperation;
import io.jurunc.runtime.lifecycle.StartOperation;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run}: create + start; in the foreground it waits for the VM, then deletes it. */
@Command(name = "run", description = "create and start a container")
final class RunCommand extends ContainerCommand {
  @Option(names = {"-b", "--bundle"}) Path bundle = Path.of("");
  @Option(names = "--pid-file") Path pidFile;
  @Option(names = "--console-socket") Path consoleSocket;
  @Option(names = {"-d", "--detach"}, description = "do not wait for the container") boolean detach;
  @Option(names = "--keep", description = "do not delete the container after it exits") boolean keep;
  @Option(names = "--no-pivot", hidden = true) boolean noPivot;
  @Option(names = "--no-new-keyring", hidden = true) boolean noNewKeyring;
  @Option(names = "--preserve-fds", hidden = true) int preserveFds;

  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() throws JuruncException {
    Bundle b = Bundle.load(bundle);
    if (!b.isUnikernel()) return top.handOverToRunc();
    var ctx = top.context();
    CreateOperation.Created created = new CreateOperation(ctx).run(new CreateRequest(id, b,
        Optional.ofNullable(pidFile), Optional.ofNullable(consoleSocket), Stdio.INHERIT));
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
    }
    if (!keep) new DeleteOperation(ctx).run(id, true);
    return status;
  }
}
