package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** Base of the commands that act on one existing container: runc's containers go to runc. */
abstract class ContainerCommand implements Callable<Integer> {
    @ParentCommand
    JuruncCommand top;

    /** True when the id names a jurunc container under --root (else it is runc's, or nobody's). */
    boolean isOurs(String id) {
        return id != null
                && !id.contains("/")
                && Files.isRegularFile(top.root.resolve(id).resolve(io.jurunc.runtime.state.StateStore.RECORD));
    }

    boolean isRuncs(String id) {
        return id != null
                && !id.contains("/")
                && Files.isRegularFile(top.root.resolve(id).resolve("state.json"));
    }

    @Override
    public final Integer call() throws Exception {
        top.checkGlobals();
        return execute();
    }

    abstract int execute() throws JuruncException;
}
