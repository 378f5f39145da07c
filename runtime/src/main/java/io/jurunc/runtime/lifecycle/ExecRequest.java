package io.jurunc.runtime.lifecycle;

import io.jurunc.oci.Spec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A process to run in a running Linux guest (the guest's exec server, guest/src/main/c/exec-server.h):
 * what runc's {@code exec} takes from {@code --process} or its flags. Validated here, at the edge:
 * at least one argument and a non-empty command, {@code K=V} environment entries with a non-empty
 * key, an absolute cwd, ids in {@code [0, 2^32 - 2]}, no NUL byte anywhere.
 *
 * @param args argv, {@code args[0]} searched in the env's PATH when it has no slash
 * @param env the whole environment (nothing is inherited in the guest)
 * @param cwd the working directory (it must exist in the guest)
 * @param uid the user id in the guest
 * @param gid the group id in the guest
 * @param additionalGids supplementary groups
 * @param tty a pty in the guest (stdout and stderr merge)
 */
public record ExecRequest(
        List<String> args, List<String> env, String cwd, long uid, long gid, List<Long> additionalGids, boolean tty) {
    /** The request payload's first string. */
    public static final String MAGIC = "JURUNC-EXEC-1";

    private static final long MAX_ID = 0xFFFF_FFFEL;

    public ExecRequest {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
    }

    /** The request, checked. */
    public static ExecRequest of(
            List<String> args, List<String> env, String cwd, long uid, long gid, List<Long> additionalGids, boolean tty)
            throws InvalidExecException {
        if (args == null
                || args.isEmpty()
                || args.getFirst() == null
                || args.getFirst().isEmpty()) {
            throw new InvalidExecException("exec needs a command (the process's args are empty)");
        }
        for (String a : args) noNul("argument", a);
        List<String> e = env == null ? List.of() : env;
        for (String kv : e) {
            noNul("environment entry", kv);
            if (kv.indexOf('=') <= 0) {
                throw new InvalidExecException("environment entry '" + kv + "' is not KEY=VALUE");
            }
        }
        String dir = cwd == null || cwd.isEmpty() ? "/" : cwd;
        noNul("cwd", dir);
        if (!dir.startsWith("/")) {
            throw new InvalidExecException("cwd '" + dir + "' is not an absolute path");
        }
        List<Long> groups = additionalGids == null ? List.of() : additionalGids;
        checkId("uid", uid);
        checkId("gid", gid);
        for (Long g : groups) checkId("additional gid", g == null ? -1 : g);
        return new ExecRequest(args, e, dir, uid, gid, groups, tty);
    }

    /** An OCI process (runc exec's --process file, or the container's own with other args). */
    public static ExecRequest of(Spec.Process p) throws InvalidExecException {
        Spec.User u = p.user();
        List<Long> groups = new ArrayList<>();
        if (u != null) for (Integer g : u.additionalGids()) groups.add(g == null ? -1L : g.longValue());
        return of(
                p.args(),
                p.env(),
                p.cwd(),
                u == null ? 0 : u.uidOrRoot(),
                u == null ? 0 : u.gidOrRoot(),
                groups,
                p.isTerminal());
    }

    /** The R frame's payload: the magic, then NUL-terminated tag/value pairs. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, MAGIC);
        for (String a : args) pair(out, "arg", a);
        for (String kv : env) pair(out, "env", kv);
        pair(out, "cwd", cwd);
        pair(out, "uid", Long.toString(uid));
        pair(out, "gid", Long.toString(gid));
        for (long g : additionalGids) pair(out, "group", Long.toString(g));
        pair(out, "tty", tty ? "1" : "0");
        return out.toByteArray();
    }

    private static void pair(ByteArrayOutputStream out, String tag, String value) {
        put(out, tag);
        put(out, value);
    }

    private static void put(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    private static void noNul(String what, String value) throws InvalidExecException {
        if (value == null) throw new InvalidExecException("exec: a null " + what);
        if (value.indexOf('\0') >= 0) {
            throw new InvalidExecException("exec: " + what + " '" + value.replace('\0', '?') + "' holds a NUL byte");
        }
    }

    private static void checkId(String what, long id) throws InvalidExecException {
        if (id < 0 || id > MAX_ID) {
            throw new InvalidExecException("exec: " + what + " " + id + " is out of range [0, " + MAX_ID + "]");
        }
    }
}
