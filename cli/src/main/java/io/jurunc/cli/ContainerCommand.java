package io.jurunc.cli;

import io.jurunc.runtime.JuruncException;
import io.jurunc.runtime.lifecycle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

    /**
     * The bundle in {@code dir} when it is a unikernel or microVM bundle; empty when it is runc's (decided
     * without parsing config.json where {@link Bundle#certainlyNotUnikernel} can tell).
     */
    static Optional<Bundle> unikernelBundle(Path dir) throws JuruncException {
        if (Bundle.certainlyNotUnikernel(dir)) return Optional.empty();
        Bundle b = Bundle.load(dir);
        return b.isUnikernel() ? Optional.of(b) : Optional.empty();
    }

    @Override
    public final Integer call() throws Exception {
        top.checkGlobals();
        return execute();
    }

    abstract int execute() throws JuruncException;
}
