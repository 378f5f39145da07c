package io.jurunc.cli;

import io.jurunc.runtime.host.Stdio;
import io.jurunc.runtime.lifecycle.Bundle;
import io.jurunc.runtime.lifecycle.CreateRequest;
import java.nio.file.Path;
import java.util.Optional;
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

    /** A served call: relative paths are the caller's, resolved against its directory. */
    void resolveAgainst(Path cwd) {
        bundle = cwd.resolve(bundle);
        if (pidFile != null) pidFile = cwd.resolve(pidFile);
        if (consoleSocket != null) consoleSocket = cwd.resolve(consoleSocket);
    }

    /** The create request these flags make for a unikernel bundle; the container keeps this process's stdio. */
    CreateRequest request(String id, Bundle bundle) {
        return new CreateRequest(
                id, bundle, Optional.ofNullable(pidFile), Optional.ofNullable(consoleSocket), Stdio.INHERIT);
    }
}
