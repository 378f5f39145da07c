package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.CreateOperation;
import io.jurunc.runtime.lifecycle.CreateRequest;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create}: sets up the sandbox and leaves the future monitor waiting for {@code start}. */
@Command(name = "create", description = "create a container")
final class CreateCommand extends ContainerCommand {
  @Option(names = {"-b", "--bundle"}, description = "bundle directory (default: current directory)")
  Path bundle = Path.of("");

  @Option(names = "--pid-file", description = "file to write the container's pid to")
  Path pidFile;

  @Option(names = "--console-socket", description = "unix socket that receives the console pty master")
  Path consoleSocket;

  @Option(names = "--no-pivot", hidden = true) boolean noPivot;
  @Option(names = "--no-new-keyring", hidden = true) boolean noNewKeyring;
  @Option(names = "--preserve-fds", hidden = true) int preserveFds;

  @Parameters(index = "0", paramLabel = "ID") String id;

  @Override
  int execute() throws JuruncException {
    Bundle b = Bundle.load(bundle);
    if (!b.isUnikernel()) return top.handOverToRunc();
    new CreateOperation(top.context()).run(new CreateRequest(id, b, Optional.ofNullable(pidFile),
        Optional.ofNullable(consoleSocket), Stdio.INHERIT));
    return 0;
  }
}
