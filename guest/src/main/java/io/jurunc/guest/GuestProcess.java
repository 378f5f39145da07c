package io.jurunc.guest;

import java.util.List;
import java.util.Objects;

/**
 * The application the guest init runs: what an OCI {@code process} becomes inside the VM.
 *
 * <p>Strings may hold any character except NUL (which execve and the init's file format cannot
 * carry); spaces, quotes and newlines pass through unchanged.
 *
 * @param args argv; non-empty, {@code args.get(0)} is looked up on the env's PATH when it has no
 *     slash
 * @param env {@code KEY=VALUE} entries
 * @param cwd absolute working directory (created by the init when missing)
 * @param uid user id the app runs as
 * @param gid group id the app runs as
 * @param additionalGids supplementary group ids
 * @param hostname the guest's hostname; empty keeps the kernel's default
 */
public record GuestProcess(
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        String hostname) {

    public GuestProcess {
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        env = List.copyOf(Objects.requireNonNull(env, "env"));
        additionalGids = List.copyOf(Objects.requireNonNull(additionalGids, "additionalGids"));
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(hostname, "hostname");
        if (args.isEmpty()) {
            throw new IllegalArgumentException("process args are empty: the guest needs a program to run");
        }
        if (args.getFirst().isEmpty()) {
            throw new IllegalArgumentException("process args[0] is empty: name the program to run");
        }
        for (int i = 0; i < args.size(); i++) {
            requireNoNul("args[" + i + "]", args.get(i));
        }
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            requireNoNul("env[" + i + "]", e);
            if (e.indexOf('=') <= 0) {
                throw new IllegalArgumentException(
                        "env[" + i + "] \"" + e + "\" is not KEY=VALUE with a non-empty KEY");
            }
        }
        requireNoNul("cwd", cwd);
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("cwd \"" + cwd + "\" must be an absolute path");
        }
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid and gid must be >= 0, got " + uid + ":" + gid);
        }
        for (Integer g : additionalGids) {
            if (g == null || g < 0) {
                throw new IllegalArgumentException("additionalGids must be >= 0, got " + additionalGids);
            }
        }
        requireNoNul("hostname", hostname);
        if (hostname.length() > 64) {
            throw new IllegalArgumentException("hostname longer than 64 characters: " + hostname);
        }
    }

    /** A root process in {@code /} with no env and no hostname: handy for simple cases. */
    public static GuestProcess of(String... args) {
        return new GuestProcess(List.of(args), List.of(), "/", 0, 0, List.of(), "");
    }

    private static void requireNoNul(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character, which cannot be passed");
        }
    }
}
