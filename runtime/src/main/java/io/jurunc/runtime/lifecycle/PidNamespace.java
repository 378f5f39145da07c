package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.Spec;
import io.jurunc.runtime.host.Host;
import java.nio.file.Path;
import java.util.List;

/**
 * The monitor's pid namespace, as the spec's {@code linux.namespaces} asks (see docs/security.md):
 * no {@code pid} entry keeps the host's; an entry without a path gives the monitor a new namespace
 * in which it is pid 1; an entry with a path joins that namespace (a pod's shared one). With a
 * namespace the sandbox helper forks into it (runc's model), so the pid create reports is the
 * forked child's, read from {@link WaiterCommand#PID_FILE}, never the helper's first pid.
 */
sealed interface PidNamespace {
    /** No {@code pid} entry: the waiter stays in the host's namespace and nothing forks. */
    record HostNamespace() implements PidNamespace {}

    /** An entry without a path: a fresh namespace whose init (pid 1) is the waiter, then the monitor. */
    record Fresh() implements PidNamespace {}

    /** An entry with a path: the waiter forks into that namespace and is one of its members. */
    record Join(Path path) implements PidNamespace {
        public Join {
            if (!path.isAbsolute())
                throw new IllegalArgumentException("pid namespace path " + path + " is not absolute");
        }
    }

    /** Whether the helper forks: true for a fresh or a joined namespace. */
    default boolean forks() {
        return !(this instanceof HostNamespace);
    }

    /** The helper's arguments for this choice. */
    default List<String> helperArgs() {
        return switch (this) {
            case HostNamespace _ -> List.of();
            case Fresh _ -> List.of("--new-pid");
            case Join j -> List.of("--pidns", j.path().toString());
        };
    }

    /**
     * The first {@code pid} entry of {@code linux.namespaces}; a path must be absolute and exist (CRI
     * gives {@code /proc/<pid>/ns/pid} of the pod's sandbox when the pod shares its pid namespace).
     */
    static PidNamespace of(Spec spec, Host host) throws InvalidBundleException {
        if (spec.linux() == null || spec.linux().namespaces() == null) return new HostNamespace();
        for (Spec.Namespace n : spec.linux().namespaces()) {
            if (!"pid".equals(n.type())) continue;
            if (n.path() == null || n.path().isBlank()) return new Fresh();
            Path p = Path.of(n.path());
            if (!p.isAbsolute()) {
                throw new InvalidBundleException(
                        "linux.namespaces: the pid namespace path '" + n.path() + "' is not absolute");
            }
            if (!host.exists(p)) {
                throw new InvalidBundleException(
                        "linux.namespaces: the pid namespace " + p + " does not exist (has the "
                                + "process whose namespace it is exited?); leave its path out for a namespace of the container's own");
            }
            return new Join(p);
        }
        return new HostNamespace();
    }
}
