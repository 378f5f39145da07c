package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.KillOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kill}: SIGTERM/SIGKILL stop the VM; other signals are forwarded to the monitor. */
@Command(name = "kill", description = "send a signal to the container (default SIGTERM)")
final class KillCommand extends ContainerCommand {
    @Option(
            names = {"-a", "--all"},
            description = "signal all processes (the monitor is the only one)")
    boolean all;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "SIGTERM")
    String signal;

    @Override
    int execute() throws JuruncException {
        if (WasmHook.owns(top, id)) return WasmHook.kill(top, id, Signals.parse(signal));
        if (!isOurs(id)) return top.handOverToRunc();
        new KillOperation(top.context()).run(id, Signals.parse(signal), all);
        return 0;
    }
}
