package io.jurunc.runtime.hooks;

import io.jurunc.oci.Json;
import io.jurunc.oci.State;
import io.jurunc.runtime.host.HookExit;
import io.jurunc.runtime.host.Host;
import io.jurunc.runtime.host.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a stage's hooks in order through the {@link Host}, each with the container's OCI state JSON on
 * its stdin, as runc does: the first that fails stops the stage ({@link #run}), or, for {@code
 * poststart} and {@code poststop}, is logged and the next one runs ({@link #runWarning}).
 */
public final class HookRunner {
    private final Host host;
    private final Consumer<String> log;

    public HookRunner(Host host, Consumer<String> log) {
        this.host = host;
        this.log = log;
    }

    /** Runs the hooks in order; the first failure is thrown and the rest are not run. */
    public void run(HookStage stage, List<Hook> hooks, State state) throws HookFailedException {
        byte[] stdin = Json.write(state).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hooks.size(); i++) {
            runOne(stage, i, hooks.get(i), state.id(), stdin);
        }
    }

    /** Runs every hook; a failure is a warning in the runtime log (runc's poststart and poststop). */
    public void runWarning(HookStage stage, List<Hook> hooks, State state) {
        byte[] stdin = Json.write(state).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hooks.size(); i++) {
            try {
                runOne(stage, i, hooks.get(i), state.id(), stdin);
            } catch (HookFailedException e) {
                log.accept("warning: " + e.getMessage());
            }
        }
    }

    /**
     * Runs the {@code poststart} or {@code poststop} hooks that create kept in the state directory
     * {@code dir} ({@link Hooks#saveLater}); nothing when there are none. Failures are warnings.
     */
    public void runKept(Path dir, HookStage stage, State state) {
        Hooks kept;
        try {
            kept = Hooks.later(dir);
        } catch (IOException | InvalidHookException | RuntimeException e) {
            log.accept("warning: container '" + state.id() + "': cannot read its " + stage.specName() + " hooks from "
                    + dir.resolve(Hooks.FILE) + ": " + e.getMessage());
            return;
        }
        runWarning(stage, stage == HookStage.POSTSTART ? kept.poststart() : kept.poststop(), state);
    }

    private void runOne(HookStage stage, int index, Hook hook, String id, byte[] stdin) throws HookFailedException {
        String name = stage.specName() + " hook " + index + " (" + hook.path() + ") of container '" + id + "'";
        HookExit exit;
        try {
            exit = host.runHook(hook.path(), hook.args(), hook.env(), stdin, hook.timeout());
        } catch (HostException e) {
            throw new HookFailedException(stage, hook.path(), name + " could not run: " + e.getMessage(), e);
        }
        if (exit.succeeded()) return;
        String output = exit.output().isEmpty() ? "" : ": " + exit.output();
        if (exit.timedOut()) {
            throw new HookFailedException(
                    stage,
                    hook.path(),
                    exit.status(),
                    true,
                    name + " ran past its timeout of "
                            + hook.timeout().map(t -> t.toSeconds() + " s").orElse("?") + " and was killed" + output);
        }
        throw new HookFailedException(
                stage, hook.path(), exit.status(), false, name + " failed with exit status " + exit.status() + output);
    }
}
