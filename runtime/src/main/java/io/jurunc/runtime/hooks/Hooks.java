package io.jurunc.runtime.hooks;

import io.jurunc.oci.Json;
import io.jurunc.oci.Spec;
import io.jurunc.runtime.state.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A microVM bundle's hooks, validated at create. {@code prestart} and {@code createRuntime} run in
 * create, once the waiter (the container's process) is in its namespaces; {@code poststart} after
 * start; {@code poststop} at delete. {@code createContainer} and {@code startContainer} are refused:
 * see {@link InvalidHookException}.
 */
public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> poststart, List<Hook> poststop) {
    /** The file in the state directory that keeps poststart and poststop for start and delete. */
    public static final String FILE = "hooks.json";

    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of());

    public Hooks {
        prestart = List.copyOf(prestart);
        createRuntime = List.copyOf(createRuntime);
        poststart = List.copyOf(poststart);
        poststop = List.copyOf(poststop);
    }

    /** The spec's hooks, or a typed error naming the first one jurunc cannot run for a microVM. */
    public static Hooks of(Spec spec) throws InvalidHookException {
        Spec.Hooks h = spec.hooks();
        if (h == null) return NONE;
        refuse(HookStage.CREATE_CONTAINER, h.createContainer());
        refuse(HookStage.START_CONTAINER, h.startContainer());
        return new Hooks(
                parse(HookStage.PRESTART, h.prestart()),
                parse(HookStage.CREATE_RUNTIME, h.createRuntime()),
                parse(HookStage.POSTSTART, h.poststart()),
                parse(HookStage.POSTSTOP, h.poststop()));
    }

    /** True when create has hooks to run. */
    public boolean atCreate() {
        return !prestart.isEmpty() || !createRuntime.isEmpty();
    }

    /** Keeps poststart and poststop in {@code dir} for start and delete (nothing when there are none). */
    public void saveLater(Path dir) throws IOException {
        if (poststart.isEmpty() && poststop.isEmpty()) return;
        Spec.Hooks later = new Spec.Hooks(
                null,
                null,
                null,
                null,
                poststart.stream().map(Hook::toSpec).toList(),
                poststop.stream().map(Hook::toSpec).toList());
        PrivateFiles.writeAtomically(
                dir.resolve(FILE),
                Json.write(later).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                PrivateFiles.FILE);
    }

    /** What {@link #saveLater} kept in {@code dir}; none when the file is not there. */
    public static Hooks later(Path dir) throws IOException, InvalidHookException {
        Spec.Hooks h;
        try {
            h = Json.mapper().readValue(Files.readAllBytes(dir.resolve(FILE)), Spec.Hooks.class);
        } catch (NoSuchFileException e) {
            return NONE;
        }
        return new Hooks(
                List.of(),
                List.of(),
                parse(HookStage.POSTSTART, h.poststart()),
                parse(HookStage.POSTSTOP, h.poststop()));
    }

    private static void refuse(HookStage stage, List<Spec.Hook> hooks) throws InvalidHookException {
        if (!hooks.isEmpty()) {
            throw new InvalidHookException(
                    stage,
                    "config.json hooks." + stage.specName() + ": jurunc cannot run "
                            + stage.specName()
                            + " hooks for a microVM: runc runs them inside the container's mount namespace, and "
                            + "a microVM's container filesystem exists only inside the guest; remove them or run this bundle "
                            + "without com.urunc.unikernel.* metadata (runc)");
        }
    }

    private static List<Hook> parse(HookStage stage, List<Spec.Hook> hooks) throws InvalidHookException {
        List<Hook> out = new ArrayList<>();
        for (int i = 0; i < hooks.size(); i++) out.add(Hook.of(stage, i, hooks.get(i)));
        return out;
    }
}
