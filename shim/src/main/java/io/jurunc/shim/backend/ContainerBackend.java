package io.jurunc.shim.backend;

import io.jurunc.runtime.lifecycle.ContainerStats;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the lifecycle of containers of one kind. The shim picks one per container at create time
 * ({@link BackendSelector}): the jurunc runtime for unikernel bundles, runc for the rest.
 */
public interface ContainerBackend {
    /** Name recorded in the bundle so that {@code shim delete} finds the same backend later. */
    String name();

    Created create(CreateSpec spec) throws BackendException;

    void start(String id) throws BackendException;

    void kill(String id, int signal, boolean all) throws BackendException;

    /** Deletes the runtime's state of {@code id}; with {@code force} also kills a live container. */
    void delete(String id, boolean force) throws BackendException;

    /** The pids of the container's processes, init first. */
    List<Integer> pids(String id) throws BackendException;

    /** Applies OCI {@code LinuxResources} given as JSON (containerd's typeurl encoding of them). */
    void update(String id, byte[] resourcesJson) throws BackendException;

    /** How to start an exec'd process in the running container (containerd's Exec, then Start of the exec). */
    default ExecLaunch exec(ExecSpec spec) throws BackendException {
        throw new BackendException(
                BackendException.Kind.UNSUPPORTED,
                "exec is not supported for " + name() + " containers (" + spec.containerId() + ")");
    }

    /**
     * Tells the container's own process the window size its terminal's host pty was just given
     * (ResizePty). A runc container holds that pty itself, so there is nothing more to do (the default); a
     * microVM's application holds the guest's console, whose size its init sets (docs/runtime.md, "TTY").
     */
    default void resizeConsole(String id, int rows, int cols) throws BackendException {}

    /** Suspends the container (runc pause; a microVM: QEMU stop and/or the cgroup freezer). */
    default void pause(String id) throws BackendException {
        throw new BackendException(
                BackendException.Kind.UNSUPPORTED, "pause is not supported for " + name() + " containers (" + id + ")");
    }

    /** Resumes a paused container. */
    default void resume(String id) throws BackendException {
        throw new BackendException(
                BackendException.Kind.UNSUPPORTED,
                "resume is not supported for " + name() + " containers (" + id + ")");
    }

    /** The container's cgroup usage, in runc's {@code events --stats} shape. */
    default ContainerStats stats(String id) throws BackendException {
        throw new BackendException(
                BackendException.Kind.UNSUPPORTED,
                "stats are not supported for " + name() + " containers (" + id + ")");
    }

    /** Where a runtime keeps its log in the bundle (runc's {@code --log}); used for error messages. */
    static Path logFile(Path bundle) {
        return bundle.resolve("log.json");
    }
}
