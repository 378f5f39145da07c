package io.jurunc.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags {@code create} and {@code run} share, as runc defines them. */
final class CreateOptions {
    @Option(
            names = {"-b", "--bundle"},
            description = "bundle directory (default: current directory)")
    Path bundle = Path.of("");

    @Option(names = "--pid-file", description = "file to write the container's pid to")
    Path pidFile;

    @Option(names = "--console-socket", description = "unix socket that receives the console pty master")
    Path consoleSocket;

    @Option(names = "--no-pivot", hidden = true)
    boolean noPivot;

    @Option(names = "--no-new-keyring", hidden = true)
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", hidden = true)
    int preserveFds;
}
