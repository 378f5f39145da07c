package io.jurunc.runtime.hooks;

import io.jurunc.oci.Spec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One validated OCI hook.
 *
 * @param path the absolute executable
 * @param args its whole argv, args[0] being argv0 (empty: the path)
 * @param env its whole environment ("KEY=value")
 * @param timeout killed after this long; empty: waited for without limit, as runc does
 */
public record Hook(Path path, List<String> args, List<String> env, Optional<Duration> timeout) {
    public Hook {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }

    /** Validates one config.json hook; errors name its place ({@code hooks.prestart[0]}) and the fix. */
    static Hook of(HookStage stage, int index, Spec.Hook h) throws InvalidHookException {
        String where = "config.json hooks." + stage.specName() + "[" + index + "]";
        if (h == null || h.path() == null || h.path().isBlank()) {
            throw new InvalidHookException(stage, where + ": path is missing");
        }
        Path path = Path.of(h.path());
        if (!path.isAbsolute()) {
            throw new InvalidHookException(stage, where + ": path '" + h.path() + "' must be absolute");
        }
        if (h.timeout() != null && h.timeout() <= 0) {
            throw new InvalidHookException(stage, where + ": timeout " + h.timeout() + " must be positive (seconds)");
        }
        return new Hook(
                path, h.args(), h.env(), Optional.ofNullable(h.timeout()).map(t -> Duration.ofSeconds(t)));
    }

    Spec.Hook toSpec() {
        return new Spec.Hook(
                path.toString(),
                args,
                env,
                timeout.map(t -> (int) t.toSeconds()).orElse(null));
    }
}
