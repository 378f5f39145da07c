package io.jurunc.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code ctr run} should do. Build with {@link #of} and the {@code with*} methods.
 *
 * @param runcBinary {@code --runc-binary}: the runc shim execs this instead of runc
 * @param runtime    {@code --runtime}, e.g. {@code io.containerd.jurunc.v2}
 * @param runcRoot   {@code --runc-root}: the runtime's {@code --root}; by default the runc shim uses
 *                   {@code /run/containerd/runc/<namespace>}
 * @param cni        {@code --cni} on the given network (ctr reads the network through a private mount)
 */
public record RunSpec(
        String image,
        String id,
        List<String> args,
        Optional<Path> runcBinary,
        Optional<String> runtime,
        Optional<Path> runcRoot,
        Optional<CniNetwork> cni,
        List<String> env,
        boolean rm,
        List<String> extraFlags,
        Duration timeout) {

    public RunSpec {
        Objects.requireNonNull(image, "image");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("bad container id: " + id);
        }
        args = List.copyOf(args);
        env = List.copyOf(env);
        extraFlags = List.copyOf(extraFlags);
        for (String e : env) {
            if (!e.contains("=")) {
                throw new IllegalArgumentException("env entry must be NAME=value: " + e);
            }
        }
    }

    public static RunSpec of(String image, String id, String... args) {
        return new RunSpec(
                image,
                id,
                List.of(args),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                false,
                List.of(),
                Duration.ofSeconds(120));
    }

    public RunSpec withRuncBinary(Path binary) {
        return new RunSpec(image, id, args, Optional.of(binary), runtime, runcRoot, cni, env, rm, extraFlags, timeout);
    }

    public RunSpec withRuntime(String name) {
        return new RunSpec(image, id, args, runcBinary, Optional.of(name), runcRoot, cni, env, rm, extraFlags, timeout);
    }

    public RunSpec withRuncRoot(Path root) {
        return new RunSpec(image, id, args, runcBinary, runtime, Optional.of(root), cni, env, rm, extraFlags, timeout);
    }

    public RunSpec withCni(CniNetwork network) {
        return new RunSpec(
                image, id, args, runcBinary, runtime, runcRoot, Optional.of(network), env, rm, extraFlags, timeout);
    }

    public RunSpec withEnv(String nameEqualsValue) {
        List<String> e = new ArrayList<>(env);
        e.add(nameEqualsValue);
        return new RunSpec(image, id, args, runcBinary, runtime, runcRoot, cni, e, rm, extraFlags, timeout);
    }

    public RunSpec withRm() {
        return new RunSpec(image, id, args, runcBinary, runtime, runcRoot, cni, env, true, extraFlags, timeout);
    }

    public RunSpec withFlag(String... flags) {
        List<String> f = new ArrayList<>(extraFlags);
        f.addAll(List.of(flags));
        return new RunSpec(image, id, args, runcBinary, runtime, runcRoot, cni, env, rm, f, timeout);
    }

    /** {@code --with-ns network:<netns>}: the container joins a network namespace prepared beforehand, as CRI does. */
    public RunSpec inNetns(Path netns) {
        return withFlag("--with-ns", "network:" + netns);
    }

    public RunSpec withTimeout(Duration limit) {
        return new RunSpec(image, id, args, runcBinary, runtime, runcRoot, cni, env, rm, extraFlags, limit);
    }

    /** The flags and positional arguments after {@code ctr … run}. */
    List<String> runArguments(Path fifoDir) {
        List<String> a = new ArrayList<>();
        a.add("--fifo-dir");
        a.add(fifoDir.toString());
        if (rm) {
            a.add("--rm");
        }
        runcBinary.ifPresent(b -> {
            a.add("--runc-binary");
            a.add(b.toString());
        });
        runtime.ifPresent(r -> {
            a.add("--runtime");
            a.add(r);
        });
        runcRoot.ifPresent(r -> {
            a.add("--runc-root");
            a.add(r.toString());
        });
        if (cni.isPresent()) {
            a.add("--cni");
        }
        for (String e : env) {
            a.add("--env");
            a.add(e);
        }
        a.addAll(extraFlags);
        a.add(image);
        a.add(id);
        a.addAll(args);
        return a;
    }
}
