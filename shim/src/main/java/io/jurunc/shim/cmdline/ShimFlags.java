package io.jurunc.shim.cmdline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shim's command line, parsed with Go {@code flag} rules as containerd writes it: single- or
 * double-dash long flags, {@code -flag value} or {@code -flag=value}, booleans without a value, and the
 * action ({@code start}, {@code delete}, or none for the daemon) after the flags.
 *
 * @param socket our own flag: the socket path the daemon binds (Java cannot inherit a listener as fd 3)
 */
public record ShimFlags(
        String namespace,
        String address,
        String publishBinary,
        String id,
        Optional<String> bundle,
        boolean debug,
        Optional<String> socket,
        boolean version,
        boolean info,
        Optional<String> action) {
    private static final Set<String> STRING_FLAGS =
            Set.of("namespace", "address", "publish-binary", "id", "bundle", "socket");
    private static final Set<String> BOOL_FLAGS = Set.of("debug", "v", "version", "info");
    private static final Set<String> ACTIONS = Set.of("start", "delete");

    /**
     * @throws UsageException on an unknown flag, a missing value, or an unknown action
     */
    public static ShimFlags parse(List<String> args) throws UsageException {
        java.util.HashMap<String, String> values = new java.util.HashMap<>();
        java.util.HashSet<String> bools = new java.util.HashSet<>();
        List<String> rest = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                rest.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            if (STRING_FLAGS.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("flag needs an argument: -" + name);
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else if (BOOL_FLAGS.contains(name)) {
                if (value == null || Boolean.parseBoolean(value)) {
                    bools.add(name);
                } else if (!value.equalsIgnoreCase("false")) {
                    throw new UsageException("invalid boolean value " + value + " for -" + name);
                }
            } else {
                throw new UsageException("flag provided but not defined: -" + name);
            }
            i++;
        }
        Optional<String> action = rest.isEmpty() ? Optional.empty() : Optional.of(rest.getFirst());
        if (action.isPresent() && !ACTIONS.contains(action.get())) {
            throw new UsageException("unknown action " + action.get() + " (expected start, delete, or none)");
        }
        return new ShimFlags(
                values.getOrDefault("namespace", ""),
                values.getOrDefault("address", ""),
                values.getOrDefault("publish-binary", ""),
                values.getOrDefault("id", ""),
                Optional.ofNullable(values.get("bundle")),
                bools.contains("debug"),
                Optional.ofNullable(values.get("socket")),
                bools.contains("v") || bools.contains("version"),
                bools.contains("info"),
                action);
    }

    /**
     * The flags a daemon started by {@code start} gets: Go's runc shim passes the same, plus our -socket; the
     * id is the group's ({@code jurunc-node} for the node daemon), not the first container's, which the
     * resident daemon outlives.
     */
    public List<String> daemonArgs(String socketPath, String daemonId) {
        List<String> out = new ArrayList<>(List.of("-namespace", namespace, "-id", daemonId, "-address", address));
        if (!publishBinary.isEmpty()) {
            out.addAll(List.of("-publish-binary", publishBinary));
        }
        if (debug) {
            out.add("-debug");
        }
        out.addAll(List.of("-socket", socketPath));
        return out;
    }

    /** Checks the flags an action needs. */
    public void require(String... names) throws UsageException {
        Map<String, String> present =
                Map.of("namespace", namespace, "id", id, "address", address, "bundle", bundle.orElse(""));
        for (String n : names) {
            if (present.getOrDefault(n, "").isEmpty()) {
                throw new UsageException(
                        "-" + n + " is required" + action.map(a -> " for " + a).orElse(""));
            }
        }
    }
}
