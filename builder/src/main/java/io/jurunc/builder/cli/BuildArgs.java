package io.jurunc.builder.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The build verb's flags parsed without picocli, for the common command lines. picocli's classes are
 * Java 5 class files, which no AOT/CDS archive can hold: parsing and verifying its ~170 classes at
 * every start cost 0.15-0.3 s and 3 MB of metaspace, more than any other part of starting a build.
 * Anything this parser does not take as it is (help, version, attached short values {@code -tX},
 * clusters, unknown flags, bad numbers, a second CONTEXT) makes it answer empty, and the caller
 * hands the whole command line to picocli, so errors and help look exactly as before.
 * {@code BuildArgsTest} checks that both parsers give the same request for the same flags.
 */
final class BuildArgs {
    private BuildArgs() {}

    /** Sets {@code cmd}'s options from {@code args}; empty when picocli must parse them instead. */
    static Optional<BuildCommand> bind(BuildCommand cmd, String[] args, Map<String, String> env) {
        cmd.namespace = orDefault(env.get("CONTAINERD_NAMESPACE"), "default");
        cmd.address = orDefault(env.get("CONTAINERD_ADDRESS"), "/run/containerd/containerd.sock");
        cmd.snapshotter = env.get("CONTAINERD_SNAPSHOTTER");
        cmd.compressionLevel = 1;
        Set<String> given = new HashSet<>();
        boolean optionsEnded = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                    if (cmd.context != null) {
                        return Optional.empty();
                    }
                    cmd.context = Path.of(a);
                    continue;
                }
                if (a.equals("--")) {
                    optionsEnded = true;
                    continue;
                }
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (name.equals("--tar") || name.equals("--timings")) {
                    if (value != null) {
                        return Optional.empty();
                    }
                    if (name.equals("--tar")) {
                        cmd.tar = true;
                    } else {
                        cmd.timings = true;
                    }
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length || !takesValue(name)) {
                        return Optional.empty();
                    }
                    value = args[++i];
                }
                // picocli refuses a single-valued option given twice, and reads some dash values as options
                boolean repeatable = MULTI.contains(name);
                if ((value.startsWith("-") && !value.equals("-"))
                        || (!repeatable && !given.add(canonical(name)))
                        || !set(cmd, name, value)) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException | ArithmeticException | InvalidPathException e) {
            return Optional.empty();
        }
        return cmd.tag == null || cmd.context == null ? Optional.empty() : Optional.of(cmd);
    }

    private static final Set<String> MULTI = Set.of("-o", "--out", "--output", "--platform", "--build-arg");

    private static String orDefault(String v, String dflt) {
        return v == null || v.isEmpty() ? dflt : v;
    }

    private static String canonical(String name) {
        return switch (name) {
            case "-f" -> "--file";
            case "-t" -> "--tag";
            case "-n" -> "--namespace";
            case "-a" -> "--address";
            default -> name;
        };
    }

    private static long number(String v) {
        if (!v.matches("[0-9]{1,18}")) {
            throw new NumberFormatException(v);
        }
        return Long.parseLong(v);
    }

    private static boolean takesValue(String name) {
        return switch (name) {
            case "-f",
                    "--file",
                    "-t",
                    "--tag",
                    "-o",
                    "--out",
                    "--output",
                    "-n",
                    "--namespace",
                    "-a",
                    "--address",
                    "--snapshotter",
                    "--platform",
                    "--build-arg",
                    "--kernel",
                    "--creds",
                    "--creds-file",
                    "--compression-level",
                    "--timestamp" -> true;
            default -> false;
        };
    }

    private static boolean set(BuildCommand cmd, String name, String value) {
        switch (name) {
            case "-f", "--file" -> cmd.file = Path.of(value);
            case "-t", "--tag" -> cmd.tag = value;
            case "-o", "--out", "--output" -> cmd.outputs.add(value);
            case "-n", "--namespace" -> cmd.namespace = value;
            case "-a", "--address" -> cmd.address = value;
            case "--snapshotter" -> cmd.snapshotter = value;
            case "--platform" -> {
                for (String p : value.split(",", -1)) {
                    if (p.isEmpty()) {
                        return false;
                    }
                    cmd.platforms.add(p);
                }
            }
            case "--build-arg" -> {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    return false;
                }
                cmd.buildArgs.put(value.substring(0, eq), value.substring(eq + 1));
            }
            case "--kernel" -> cmd.kernel = Path.of(value);
            case "--creds" -> cmd.creds = value;
            case "--creds-file" -> cmd.credsFile = value;
            case "--compression-level" -> cmd.compressionLevel = Math.toIntExact(number(value));
            case "--timestamp" -> cmd.timestamp = number(value);
            default -> {
                return false;
            }
        }
        return true;
    }
}
